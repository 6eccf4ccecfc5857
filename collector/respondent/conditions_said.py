"""A `show_if` condition in words, for the question it shows: without JavaScript every question of a page is
drawn, so one that applies only sometimes says when ("when “Your role” is “Manager”"), in the respondent's
language (question labels from the survey, the joining words from the app's catalogue)."""
from flask_babel import gettext

from collector.respondent import languages
from collector.surveys import conditions


def _words():
    """Each sign and keyword of the condition language as the sentence says it."""
    return {"==": gettext("is"), "!=": gettext("is not"), "<": gettext("is below"), "<=": gettext("is at most"),
            ">": gettext("is above"), ">=": gettext("is at least"), "in": gettext("is among the answers to"),
            "and": gettext("and"), "or": gettext("or"), "not": gettext("not"), "true": gettext("yes"),
            "false": gettext("no")}


def said(text, labels, words):
    """The condition in words: questions by their labels ({id: label}), values in quotation marks."""
    parts = []
    for kind, value in conditions.tokens(text):
        if kind == "string":
            parts.append(f"“{value[1:-1]}”")
        elif kind == "word":
            parts.append(f"“{labels.get(value, value)}”")
        else:
            parts.append(words.get(value, value))
    return " ".join(parts).replace("( ", "(").replace(" )", ")")


def for_page(survey, questions, language):
    """{question id: its condition in words} for the questions on a page that have one."""
    conditional = [q for q in questions if q.show_if]
    if not conditional:
        return {}
    labels = {q.id: languages.question_in(survey, q, language)[0].label for q in survey.questions}
    words = _words()
    return {q.id: said(q.show_if, labels, words) for q in conditional}
