"""The respondent's form, made from a survey definition: one typed field per question."""
import functools

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from collector.common.forms import clean_text, normal_email
from collector.respondent import languages
from collector.surveys import branching

TICKED = {"y", "yes", "on", "true", "1"}  # what a ticked box sends (ours sends "y")
PREFIX = "q_"  # attribute names; the HTML field names are the question ids themselves
REQUIRED = {"essay": _l("Please write your answer."), "text": _l("Please write your answer."),
            "choice": _l("Please choose an answer."), "choices": _l("Please choose at least one answer."),
            "rating": _l("Please choose a rating."), "consent": _l("Please tick this box to go on.")}


class MaxChars:
    """Refuse text over a question's max_chars, saying by how much."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, form, field):
        if field.data and len(field.data) > self.limit:
            raise ValidationError(_("Your answer is %(n)s characters long; the limit is %(limit)s. Please shorten it by "
                                    "%(over)s.", n=f"{len(field.data):,}", limit=f"{self.limit:,}",
                                    over=f"{len(field.data) - self.limit:,}"))


class Among:
    """Accept only the values the question offers (a forged post gets a plain message)."""

    def __init__(self, values):
        self.values = set(values)

    def __call__(self, form, field):
        chosen = field.data if isinstance(field.data, list) else [field.data]
        if not set(chosen) <= self.values:
            raise ValidationError(_("Please choose from the answers listed."))


class TickBox(BooleanField):
    """A consent box: ticked only by a value a ticked box sends, never by a forged 'no' or '0'."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and str(valuelist[0]).strip().lower() in TICKED


def one_line(value):
    """A one-line text answer: cleaned, its line breaks (a forged post's) turned into spaces."""
    value = clean_text(value)
    return " ".join(value.split()) if value else value


def once_each(values):
    """The options chosen, each once, in the order given."""
    return list(dict.fromkeys(values or []))


def _whole_number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # Among() then says what is wrong


def question_field(question, option_labels=()):
    """The WTForms field for one question, named by its id (option_labels: how the options read, if translated)."""
    presence = [(InputRequired if question.type in ("choice", "choices", "rating") else DataRequired)(
        REQUIRED[question.type])] if question.required else [Optional()]
    common = dict(name=question.id, description=question.help)
    if question.type in ("essay", "text"):
        kind, filters = (TextAreaField, [clean_text]) if question.type == "essay" else (StringField, [one_line])
        return kind(question.label, filters=filters, validators=[*presence, MaxChars(question.max_chars)], **common)
    if question.type == "consent":  # only a ticked box consents: a forged "no" or "0" does not
        return TickBox(question.label, validators=presence, **common)
    labels = option_labels or [str(v) for v in question.values]
    choices = [SelectChoice(str(v), label) for v, label in zip(question.values, labels)]
    if question.type == "choices":
        return SelectMultipleField(question.label, choices=choices, validate_choice=False, filters=[once_each],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   validators=[*presence, Among(question.values)], **common)
    coerce = _whole_number if question.type == "rating" else str
    return RadioField(question.label, choices=choices, coerce=coerce, validate_choice=False,
                      validators=[*presence, Among(question.values)], **common)


def _email_field(mode):
    presence = DataRequired(_l("Please give your email address.")) if mode == "required" else Optional()
    return EmailField(_l("Your email address"), filters=[normal_email], validators=[
        presence, Email(_l("That does not look like an email address (e.g. name@example.org)."))])


@functools.lru_cache(maxsize=256)
def form_class(survey, ids=None, last=True, language=None):
    """A FlaskForm subclass for this survey, or for one page of it (the question ids; the email on the last
    page), in a language of the survey, made once per definition."""
    fields = {PREFIX + q.id: question_field(*languages.question_in(survey, q, language)) for q in survey.questions
              if ids is None or q.id in ids}
    if last and survey.email != "off":
        fields["email"] = _email_field(survey.email)
    # Spam signals: a field only bots fill in, and a signed "form opened at" time.
    fields["website"] = StringField("Leave this field empty", filters=[lambda v: (v or "").strip()])
    fields["started"] = HiddenField()
    return type(f"SurveyForm_{survey.slug}", (FlaskForm,), fields)


def answers_of(form, survey):
    """{question id: answer} for the questions answered; choices are lists, consent is 'y'."""
    answers = {}
    for question in (q for q in survey.questions if PREFIX + q.id in form):
        value = form[PREFIX + question.id].data
        if question.type == "consent":
            value = "y" if value else None
        elif question.type == "choices":
            value = list(value or [])
        if value not in (None, "", []):
            answers[question.id] = value
    return answers


def field_of(form, question):
    """The bound field of one question."""
    return form[PREFIX + question.id]


def page_fields(form, survey):
    """[(question, bound field)] of the questions this form (a page, or the whole survey) asks."""
    return [(q, form[PREFIX + q.id]) for q in survey.questions if PREFIX + q.id in form]


def validated(form, survey, earlier=None):
    """Whether a posted page is valid; a question its conditions hide (given the earlier pages' answers and
    this page's) is neither required nor checked."""
    if not form.is_submitted():
        return False
    form.validate()
    shown = {q.id for q in branching.visible(survey, {**(earlier or {}), **answers_of(form, survey)})}
    for question in survey.questions:
        if PREFIX + question.id in form and question.id not in shown:
            form[PREFIX + question.id].errors = []
    return not form.errors


def shown_answers(survey, answers):
    """The answers to the questions a respondent sees: an answer to a hidden one is never stored."""
    shown = {q.id for q in branching.visible(survey, answers)}
    return {key: value for key, value in answers.items() if key in shown}
