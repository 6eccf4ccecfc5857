"""Survey definitions (SURVEYS_FILE, YAML) checked at start-up, or the one default survey."""
import re
from dataclasses import dataclass, field
from datetime import datetime

from collector.common.slots import Slot

SURVEYS = Slot("surveys")

SLUG = re.compile(r"[a-z0-9-]{1,40}")
FIELD_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
# How each question type is stored and indexed: analysed text, exact keyword, or integer.
KINDS = {"essay": "text", "text": "text", "choice": "keyword", "choices": "keyword",
         "rating": "integer", "consent": "keyword"}
# Every export's own columns (version: the answer's), the client's, older answers: no question or hidden field's id.
EXPORT_COLUMNS = ["id", "receipt", "submitted_at", "edited_at", "version", "survey", "survey_version", "email",
                  "is_spam", "spam_score", "tags", "codes"]
CLIENT_COLUMNS, OTHER_COLUMN = ["client_ip", "user_agent"], "other_answers"
RESERVED = {"email", "website", "started", "csrf_token", "survey", "page", "q", "in", "language", "lang", "action",
            *EXPORT_COLUMNS, *CLIENT_COLUMNS, OTHER_COLUMN}
DEFAULT_SLUG = "survey"
SURVEY_KEYS = {"slug", "title", "intro", "version", "opens", "closes", "max_responses", "closed_message",
               "thank_you", "privacy", "email", "hidden", "questions", "pages", "languages", "allow_edit_days"}
QUESTION_KEYS = {"id", "type", "label", "required", "max_chars", "help", "options", "min", "max", "min_label",
                 "max_label", "show_if"}
PAGE_KEYS = {"id", "title", "show_if", "questions"}


class SurveyError(ValueError):
    """A definition a person must fix; the message says where (file, survey, question) and what."""


@dataclass(frozen=True)
class Question:
    """One question: its id is the form field name and the stored answer's key."""

    id: str
    type: str
    label: str
    required: bool = False
    max_chars: int = 0
    help: str = ""
    options: tuple = ()
    min: int = 1
    max: int = 5
    min_label: str = ""  # a rating's ends as words ("Not at all", "Completely")
    max_label: str = ""
    show_if: str = ""  # a condition over earlier answers (surveys/conditions.py); empty: always shown

    @property
    def kind(self):
        """'text', 'keyword' or 'integer': how the answer is indexed."""
        return KINDS[self.type]

    @property
    def ends(self):
        """A rating's ends in words, as its help says them ("1 = Not at all, 5 = Completely"), or ''."""
        said = [(self.min, self.min_label), (self.max, self.max_label)]
        return ", ".join(f"{value} = {label}" for value, label in said if label)

    @property
    def values(self):
        """The answers a choice, choices or rating question accepts, in display order."""
        return tuple(range(self.min, self.max + 1)) if self.type == "rating" else self.options


@dataclass(frozen=True)
class Page:
    """One page of a survey: its questions' ids, a title, and a condition for the whole page."""

    questions: tuple
    title: str = ""
    show_if: str = ""
    id: str = ""  # optional, unique in the survey: the page's anchor (#page-<id>) and its name to analysts


@dataclass(frozen=True)
class Survey:
    """One survey: its questions, hidden fields, and when it takes answers."""

    slug: str
    title: str
    questions: tuple
    version: int = 1
    intro: str = ""
    opens: datetime | None = None
    closes: datetime | None = None
    max_responses: int | None = None
    # none written: the app's own, in the respondent's language (respondent/languages.py)
    closed_message: str = ""
    thank_you: str = ""
    privacy: str = ""
    email: str = "required"
    hidden: tuple = ()
    pages: tuple = ()  # Pages; none: every question on one page
    languages: tuple = ()  # BCP 47 tags, the first the default; none: one language
    allow_edit_days: int | None = None  # the receipt link changes the answer for this many days; None: never
    texts: dict = field(default_factory=dict, hash=False, compare=False)  # {address: {language: text}}

    def text(self, address, language, default):
        """A text in a language (translations.py names the addresses), else in the first language."""
        return self.texts.get(address, {}).get(language) or default

    @property
    def kept_fields(self):
        """The fields stored beside the questions: the hidden ones, and the language of a multilingual survey."""
        return (*self.hidden, "language") if self.languages else self.hidden

    @property
    def page_list(self):
        """The survey's pages (one page of every question when it declares none)."""
        return self.pages or (Page(tuple(q.id for q in self.questions)),)

    def question(self, question_id):
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def page_id_of(self, question_id):
        """The id of the page that asks this question ('' when the page has none)."""
        return next((page.id for page in self.page_list if question_id in page.questions), "")

    @property
    def text_questions(self):
        """The essay and text questions, whose answers are searched as words."""
        return tuple(q for q in self.questions if q.kind == "text")

    @property
    def chart_questions(self):
        """The choice, choices and rating questions, drawn as distributions."""
        return tuple(q for q in self.questions if q.type in ("choice", "choices", "rating"))

    def schedule_state(self, now):
        """'not yet open', 'closed' or 'open' by the clock (the response cap is checked apart)."""
        if self.opens and now < self.opens:
            return "not yet open"
        if self.closes and now >= self.closes:
            return "closed"
        return "open"


@dataclass
class Catalog:
    """Every survey by slug, and the one kind each field id has across all of them."""

    surveys: dict = field(default_factory=dict)
    # what `surveys check` says without refusing: missing translations
    notes: list = field(default_factory=list)

    def get(self, slug):
        """The survey with this slug, or None."""
        return self.surveys.get(slug)

    def field_kinds(self):
        """{field id: 'text' | 'keyword' | 'integer'} over every question and hidden field."""
        kinds = {}
        for survey in self.surveys.values():
            kinds.update({name: "keyword" for name in survey.kept_fields})
            kinds.update({q.id: q.kind for q in survey.questions})
        return kinds

    def selected(self, slug):
        """The survey a query names, or the only survey when there is just one; else None."""
        if slug:
            return self.surveys.get(slug)
        return next(iter(self.surveys.values())) if len(self.surveys) == 1 else None

    def label(self, slug, field_id):
        """How a question reads to people, or its id (a hidden field, or a question since removed)."""
        survey = self.surveys.get(slug)
        question = survey.question(field_id) if survey and field_id else None
        return question.label if question else field_id

    def labelled(self, slug, answers):
        """[(id, label, answer)]: the survey's questions in order, then hidden fields, then answers since
        removed (not the language it was answered in, a reserved name: the answer's details say it)."""
        survey = self.surveys.get(slug)
        order = [q.id for q in survey.questions] + list(survey.hidden) if survey else []
        keys = [k for k in order if k in answers] + sorted(k for k in answers if k not in order and k != "language")
        consents = {q.id for q in survey.questions if q.type == "consent"} if survey else set()
        return [(key, self.label(slug, key), "Yes, given" if key in consents and answers[key] == "y" else answers[key])
                for key in keys]  # a ticked consent is stored as 'y': shown as a person reads it


def default_catalog(question_label, max_chars):
    """The survey of a deployment without SURVEYS_FILE: one required essay, email required."""
    essay = Question("essay", "essay", question_label, required=True, max_chars=max_chars)
    return Catalog({DEFAULT_SLUG: Survey(DEFAULT_SLUG, "Share your experience", (essay,))})


def catalog():
    """The current app's surveys."""
    return SURVEYS.of()
