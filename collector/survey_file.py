"""Read and check a SURVEYS_FILE: every mistake is reported with its file, survey and question."""
from datetime import date, datetime, time, timedelta, timezone

import yaml

from collector.surveys import (
    FIELD_ID,
    KINDS,
    QUESTION_KEYS,
    RESERVED,
    SLUG,
    SURVEY_KEYS,
    Catalog,
    Question,
    Survey,
    SurveyError,
    default_catalog,
)

TEXT_MAX_CHARS = 300  # a one-line text answer, unless the definition says otherwise


def init_app(app):
    """Load SURVEYS_FILE (or make the default survey); a bad file stops the app from starting."""
    config = app.config
    if config["SURVEYS_FILE"]:
        app.extensions["surveys"] = load(config["SURVEYS_FILE"], config["ESSAY_MAX_CHARS"])
    else:
        app.extensions["surveys"] = default_catalog(config["SURVEY_QUESTION"], config["ESSAY_MAX_CHARS"])


class Problems(list):
    """Mistakes found so far, each prefixed with where it is."""

    def add(self, where, what):
        """Record one mistake."""
        self.append(f"{where}: {what}")


def load(path, essay_max_chars):
    """The Catalog defined in a YAML file, or SurveyError listing every mistake in it."""
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as exc:
        raise SurveyError(f"{path}: cannot read the survey file ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        raise SurveyError(f"{path}: not valid YAML ({exc}). Tip: put text that holds '?', ':', ',' or '#' "
                          "in quotes, e.g. label: \"Why?\"") from None
    problems = Problems()
    entries = data.get("surveys") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SurveyError(f"{path}: needs a top-level 'surveys:' list with at least one survey.")
    catalog = Catalog()
    for n, entry in enumerate(entries, 1):
        survey = _survey(entry, f"{path}: survey #{n}", problems, essay_max_chars)
        if survey and survey.slug in catalog.surveys:
            problems.add(f"{path}: survey #{n}", f"slug '{survey.slug}' is used twice.")
        elif survey:
            catalog.surveys[survey.slug] = survey
    _check_kinds_agree(catalog, path, problems)
    if problems:
        raise SurveyError("\n".join(problems))
    return catalog


def _survey(entry, where, problems, essay_max_chars):
    if not isinstance(entry, dict):
        return problems.add(where, "each survey is a mapping (slug:, title:, questions: ...).")
    slug = str(entry.get("slug", ""))
    if not SLUG.fullmatch(slug):
        return problems.add(where, f"slug {slug!r} must be 1-40 of a-z, 0-9 and '-'.")
    where = f"{where} '{slug}'"
    _unknown(entry, SURVEY_KEYS, where, problems)
    questions = _questions(entry.get("questions"), where, problems, essay_max_chars)
    hidden = _hidden(entry.get("hidden") or [], {q.id for q in questions}, where, problems)
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.add(where, "needs a title.")
    opens, closes = _when(entry, "opens", where, problems), _when(entry, "closes", where, problems)
    if opens and closes and opens >= closes:
        problems.add(where, "'closes' must come after 'opens'.")
    texts = {k: str(entry[k]).strip() for k in ("intro", "closed_message", "thank_you", "privacy") if entry.get(k)}
    return Survey(slug, str(title or slug).strip(), tuple(questions), opens=opens, closes=closes,
                  version=_whole(entry, "version", 1, where, problems) or 1,
                  max_responses=_whole(entry, "max_responses", None, where, problems),
                  email=_email_mode(entry, where, problems), hidden=tuple(hidden), **texts)


def _unknown(entry, allowed, where, problems):
    for key in sorted(set(entry) - allowed):
        problems.add(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))}).")


def _whole(entry, key, default, where, problems):
    value = entry.get(key, default)
    if value is default:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add(where, f"'{key}' must be a whole number of at least 1, not {value!r}.")
        return default
    return value


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
    for name in names:
        if not FIELD_ID.fullmatch(str(name)) or name in RESERVED or name in question_ids:
            problems.add(where, f"hidden field {name!r} must be a-z, 0-9, '_' (starting with a letter), "
                                "and not a question id or a reserved name.")
    if len(set(names)) != len(names):
        problems.add(where, "a hidden field is listed twice.")
    return [str(n) for n in names]


def _questions(entries, where, problems, essay_max_chars):
    if not isinstance(entries, list) or not entries:
        problems.add(where, "needs a 'questions:' list with at least one question.")
        return []
    questions, seen = [], set()
    for n, entry in enumerate(entries, 1):
        question = _question(entry, f"{where}, question #{n}", problems, essay_max_chars)
        if question and question.id in seen:
            problems.add(f"{where}, question #{n}", f"id '{question.id}' is used twice in this survey.")
        elif question:
            seen.add(question.id)
            questions.append(question)
    return questions


def _question(entry, where, problems, essay_max_chars):
    if not isinstance(entry, dict):
        return problems.add(where, "each question is a mapping ({id: ..., type: ..., label: ...}).")
    qid, kind = str(entry.get("id", "")), entry.get("type")
    if not FIELD_ID.fullmatch(qid) or qid in RESERVED:
        return problems.add(where, f"id {qid!r} must be a-z, 0-9, '_' (starting with a letter, at most 40), "
                                   f"and not one of {', '.join(sorted(RESERVED))}.")
    where = f"{where} '{qid}'"
    _unknown(entry, QUESTION_KEYS, where, problems)
    if kind not in KINDS:
        return problems.add(where, f"type {kind!r} must be one of {', '.join(KINDS)}.")
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.add(where, "needs a label (the question as respondents read it).")
    if not isinstance(entry.get("required", False), bool):
        problems.add(where, "'required' must be true or false.")
    extra = _limits(entry, kind, where, problems, essay_max_chars)
    return Question(qid, kind, str(label or qid).strip(), required=entry.get("required") is True,
                    help=str(entry.get("help") or "").strip(), **extra)


def _limits(entry, kind, where, problems, essay_max_chars):
    """max_chars for text, options for choices, min/max for ratings; refuses the rest."""
    extra = {}
    if kind in ("essay", "text"):
        default = essay_max_chars if kind == "essay" else TEXT_MAX_CHARS
        extra["max_chars"] = _whole(entry, "max_chars", default, where, problems) or default
        if extra["max_chars"] > essay_max_chars:
            problems.add(where, f"max_chars {extra['max_chars']} is over ESSAY_MAX_CHARS ({essay_max_chars}).")
    if kind in ("choice", "choices"):
        options = entry.get("options")
        if not isinstance(options, list) or len(options) < 2 or len(set(map(str, options))) != len(options):
            problems.add(where, "needs 'options': a list of at least two different answers.")
        extra["options"] = tuple(str(o).strip() for o in options or [])
    if kind == "rating":
        low, high = entry.get("min", 1), entry.get("max", 5)
        if not (type(low) is int and type(high) is int and 0 <= low < high and high - low <= 10):
            problems.add(where, "a rating needs whole numbers min < max, at most 11 points (e.g. min: 1, max: 5).")
        else:
            extra.update(min=low, max=high)
    for key, types in (("options", ("choice", "choices")), ("min", ("rating",)), ("max", ("rating",)),
                       ("max_chars", ("essay", "text"))):
        if key in entry and kind not in types:
            problems.add(where, f"'{key}' does not apply to a {kind} question.")
    return extra


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
