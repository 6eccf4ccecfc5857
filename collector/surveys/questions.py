"""Checking the questions of a survey definition; every mistake names where it is."""
from collector.surveys import FIELD_ID, KINDS, QUESTION_KEYS, RESERVED, Question

TEXT_MAX_CHARS = 300  # a one-line text answer, unless the definition says otherwise


class Problems(list):
    """Mistakes found so far, each prefixed with where it is."""

    def add(self, where, what):
        """Record one mistake."""
        self.append(f"{where}: {what}")


def unknown_keys(entry, allowed, where, problems):
    """Report every key the definition does not know."""
    for key in sorted(set(entry) - allowed):
        problems.add(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))}).")


def whole_number(entry, key, default, where, problems):
    """entry[key] as a whole number >= 1, or default (reporting anything else)."""
    value = entry.get(key, default)
    if value is default:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add(where, f"'{key}' must be a whole number of at least 1, not {value!r}.")
        return default
    return value


def checked_questions(entries, where, problems, essay_max_chars):
    """The checked Questions of one survey, in order."""
    if not isinstance(entries, list) or not entries:
        problems.add(where, "needs a 'questions:' list with at least one question.")
        return []
    questions = []
    seen = set()
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
    qid = str(entry.get("id", ""))
    kind = entry.get("type")
    if not FIELD_ID.fullmatch(qid) or qid in RESERVED:
        return problems.add(where, f"id {qid!r} must be a-z, 0-9, '_' (starting with a letter, at most 40), "
                                   f"and not one of {', '.join(sorted(RESERVED))}.")
    where = f"{where} '{qid}'"
    unknown_keys(entry, QUESTION_KEYS, where, problems)
    if kind not in KINDS:
        return problems.add(where, f"type {kind!r} must be one of {', '.join(KINDS)}.")
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.add(where, "needs a label (the question as respondents read it).")
    if not isinstance(entry.get("required", False), bool):
        problems.add(where, "'required' must be true or false.")
    extra = _limits(entry, kind, where, problems, essay_max_chars)
    if not isinstance(entry.get("show_if", ""), str):
        problems.add(where, "'show_if' is a condition in quotes, e.g. show_if: 'role == \"Manager\"'.")
    return Question(qid, kind, str(label or qid).strip(), required=entry.get("required") is True,
                    help=str(entry.get("help") or "").strip(), show_if=str(entry.get("show_if") or "").strip(), **extra)


def _limits(entry, kind, where, problems, essay_max_chars):
    """max_chars for text, options for choices, min/max for ratings; refuses the rest."""
    extra = {}
    if kind in ("essay", "text"):
        default = essay_max_chars if kind == "essay" else TEXT_MAX_CHARS
        extra["max_chars"] = whole_number(entry, "max_chars", default, where, problems) or default
        if extra["max_chars"] > essay_max_chars:
            problems.add(where, f"max_chars {extra['max_chars']} is over ESSAY_MAX_CHARS ({essay_max_chars}).")
    if kind in ("choice", "choices"):
        options = entry.get("options")
        if not isinstance(options, list) or len(options) < 2 or len(set(map(str, options))) != len(options):
            problems.add(where, "needs 'options': a list of at least two different answers.")
        elif not all(isinstance(o, (str, int, float)) and not isinstance(o, bool) for o in options):
            problems.add(where, "each option is a word, a phrase or a number (quote \"Yes\"-like words if in doubt).")
        extra["options"] = tuple(str(o).strip() for o in options or [])
    if kind == "rating":
        low = entry.get("min", 1)
        high = entry.get("max", 5)
        if not (type(low) is int and type(high) is int and 0 <= low < high and high - low <= 10):
            problems.add(where, "a rating needs whole numbers min < max, at most 11 points (e.g. min: 1, max: 5).")
        else:
            extra.update(min=low, max=high)
        for end in ("min_label", "max_label"):
            if end in entry and not (isinstance(entry[end], str) and 0 < len(entry[end].strip()) <= 60):
                problems.add(where, f"'{end}' is the words for that end of the scale: 1 to 60 characters.")
            elif end in entry:
                extra[end] = entry[end].strip()
    for key, types in (("options", ("choice", "choices")), ("min", ("rating",)), ("max", ("rating",)),
                       ("min_label", ("rating",)), ("max_label", ("rating",)), ("max_chars", ("essay", "text"))):
        if key in entry and kind not in types:
            problems.add(where, f"'{key}' does not apply to {'an' if kind[0] in 'aeiou' else 'a'} {kind} question.")
    return extra
