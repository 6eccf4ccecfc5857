"""Read and check a SURVEYS_FILE: every mistake is reported with its file, survey and question."""
from datetime import date, datetime, time, timedelta, timezone

import yaml

from collector import journal, surveys
from collector.search.params import vocabulary
from collector.surveys import (
    FIELD_ID,
    RESERVED,
    SLUG,
    SURVEY_KEYS,
    Catalog,
    Survey,
    SurveyError,
    default_catalog,
    paging,
    strict_yaml,
    translations,
)
from collector.surveys.questions import Problems, checked_questions, unknown_keys, whole_number


def init_app(app):
    """Load SURVEYS_FILE (or make the default survey); a bad file stops the app from starting."""
    config = app.config
    if config["SURVEYS_FILE"]:
        surveys.SURVEYS.put(app, load(config["SURVEYS_FILE"], config["ESSAY_MAX_CHARS"]))
    else:
        surveys.SURVEYS.put(app, default_catalog(config["SURVEY_QUESTION"], config["ESSAY_MAX_CHARS"]))
    definitions = surveys.SURVEYS.of(app)  # the catalog in force; questions a query may name
    vocabulary(app, fields=definitions.field_kinds, surveys=lambda: definitions.surveys,
               languages=lambda: {slug: survey.languages for slug, survey in definitions.surveys.items()})


def load(path, essay_max_chars):
    """The Catalog defined in a YAML file, or SurveyError listing every mistake in it."""
    try:
        with open(path, encoding="utf-8") as f:
            data = strict_yaml.load(f)
    except OSError as exc:
        raise SurveyError(f"{path}: cannot read the survey file ({exc.strerror}).") from None
    except UnicodeDecodeError as exc:
        raise SurveyError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None
    except yaml.YAMLError as exc:
        raise SurveyError(f"{path}: not valid YAML ({exc}). Tip: put text that holds '?', ':', ',' or '#' "
                          "in quotes, e.g. label: \"Why?\"") from None
    problems = Problems()
    entries = data.get("surveys") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SurveyError(f"{path}: needs a top-level 'surveys:' list with at least one survey.")
    catalog = Catalog()
    for n, entry in enumerate(entries, 1):
        survey = _survey(entry, f"{path}: survey #{n}", problems, essay_max_chars, catalog.notes)
        if survey and survey.slug in catalog.surveys:
            problems.add(f"{path}: survey #{n}", f"slug '{survey.slug}' is used twice.")
        elif survey:
            catalog.surveys[survey.slug] = survey
    _check_kinds_agree(catalog, path, problems)
    if problems:
        raise SurveyError("\n".join(problems))
    return catalog


def _survey(entry, where, problems, essay_max_chars, notes):
    if not isinstance(entry, dict):
        return problems.add(where, "each survey is a mapping (slug:, title:, questions: ...).")
    slug = str(entry.get("slug", ""))
    good_slug = SLUG.fullmatch(slug)
    if good_slug:
        where = f"{where} '{slug}'"
    else:  # the rest is checked all the same: every mistake is reported in one run
        problems.add(where, f"slug {slug!r} must be 1-40 of a-z, 0-9 and '-'.")
    entry, texts = translations.extract(entry, where, problems)
    notes.extend(texts.missing)
    unknown_keys(entry, SURVEY_KEYS, where, problems)
    question_entries, page_entries = paging.split(entry, where, problems)
    questions = checked_questions(question_entries, where, problems, essay_max_chars)
    pages = paging.pages_of(page_entries, questions, where, problems)
    if (count := sum(q.type in ("essay", "text") for q in questions)) > journal.TEXTS_MAX:
        problems.add(where, f"has {count} essay and text questions; a survey may have at most {journal.TEXTS_MAX}.")
    hidden = _hidden(entry.get("hidden") or [], {q.id for q in questions}, where, problems)
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.add(where, "needs a title.")
    opens = _when(entry, "opens", where, problems)
    closes = _when(entry, "closes", where, problems)
    if opens and closes and opens >= closes:
        problems.add(where, "'closes' must come after 'opens'.")
    said = {k: str(entry[k]).strip() for k in ("intro", "closed_message", "thank_you", "privacy") if entry.get(k)}
    settings = dict(version=whole_number(entry, "version", 1, where, problems) or 1,
                    max_responses=whole_number(entry, "max_responses", None, where, problems),
                    allow_edit_days=whole_number(entry, "allow_edit_days", None, where, problems),
                    email=_email_mode(entry, where, problems))
    if not good_slug:
        return None
    return Survey(slug, str(title or slug).strip(), tuple(questions), opens=opens, closes=closes, hidden=tuple(hidden),
                  pages=pages, languages=texts.languages, texts=texts.found, **settings, **said)


def _email_mode(entry, where, problems):
    mode = entry.get("email", "required")
    mode = "off" if mode is False else mode  # YAML 1.1 reads a bare `off` as false
    if mode not in ("required", "optional", "off"):
        problems.add(where, f"'email' must be required, optional or off, not {mode!r}.")
        return "required"
    return mode


def _when(entry, key, where, problems):
    """A UTC datetime; a bare date opens at its first moment and closes after its last."""
    value = entry.get(key)
    if value is None:
        return None
    try:
        if isinstance(value, str):
            value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    except ValueError:
        value = None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        day = value + timedelta(days=1) if key == "closes" else value
        return datetime.combine(day, time(0), tzinfo=timezone.utc)
    problems.add(where, f"'{key}' must be a date (2026-12-31) or an ISO date and time, not {entry[key]!r}.")
    return None


def _hidden(names, question_ids, where, problems):
    if not isinstance(names, list):
        problems.add(where, "'hidden' must be a list of field names, e.g. [source, cohort].")
        return []
    if any(not isinstance(name, str) for name in names):
        problems.add(where, "'hidden' must be a list of field names, e.g. [source, cohort].")
        return []
    for name in names:
        if not FIELD_ID.fullmatch(name) or name in RESERVED or name in question_ids:
            problems.add(where, f"hidden field {name!r} must be a-z, 0-9, '_' (starting with a letter), "
                                "and not a question id or a reserved name.")
    if len(set(names)) != len(names):
        problems.add(where, "a hidden field is listed twice.")
    return [str(n) for n in names]


def _check_kinds_agree(catalog, path, problems):
    """One index field per id: the same id must be stored the same way in every survey."""
    kinds = {}
    for survey in catalog.surveys.values():
        fields = [(name, "keyword") for name in survey.hidden] + [(q.id, q.kind) for q in survey.questions]
        for name, kind in fields:
            first = kinds.setdefault(name, (kind, survey.slug))
            if first[0] != kind:
                problems.add(f"{path}: survey '{survey.slug}'",
                             f"field '{name}' is {kind} here but {first[0]} in survey '{first[1]}'; "
                             "one id is one index field, so give one of them another id.")
