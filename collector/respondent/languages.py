"""Which language a respondent reads a multilingual survey in: `?lang=`, else their draft's, else the
browser's Accept-Language, else the survey's first; and its texts in that language (a text not yet
translated reads in the first language)."""
import dataclasses

from flask import g, request
from flask_babel import gettext

from collector.common.i18n import TRANSLATIONS


def chosen(survey, draft=None):
    """The survey's language for this request (None: a survey in one language)."""
    if not survey.languages:
        return None
    for asked in (request.args.get("lang"), (draft or {}).get("language")):
        if asked in survey.languages:
            return asked
    return request.accept_languages.best_match(survey.languages) or survey.languages[0]


def use(survey, draft=None):
    """Choose the language and keep it for the templates (g.language, the page's lang attribute)."""
    g.language = chosen(survey, draft)
    return g.language


def question_in(survey, question, language):
    """(the question with its texts in the language, how its options read there)."""
    if not language:
        return question, ()
    texts = {key: survey.text(("question", question.id, key), language, getattr(question, key))
             for key in ("label", "help", "min_label", "max_label")}
    options = tuple(survey.text(("option", question.id, n), language, str(value))
                    for n, value in enumerate(question.values)) if question.type in ("choice", "choices") else ()
    return dataclasses.replace(question, **texts), options


def survey_text(survey, key, language=None):
    """One of the survey's own texts (title, intro, messages) in the request's language; a message the survey
    does not write is the app's own, from its catalogue."""
    text = survey.text(("survey", key), language or g.get("language"), getattr(survey, key))
    return text or app_default(key)


def app_default(key):
    """The app's own text for a survey message no survey wrote, in the request's language ('' for others)."""
    if key == "thank_you":
        return gettext("Thank you: your answer is saved.")
    if key == "closed_message":
        return gettext("This survey is closed. Thank you for your interest.")
    return ""


def for_the_site():
    """The language of a page that belongs to no survey (the list of surveys): ?lang=, else the browser's,
    among the app's catalogues."""
    offered = ["en", *(path.name for path in TRANSLATIONS.iterdir() if path.is_dir())]
    asked = request.args.get("lang")
    g.language = asked if asked in offered else request.accept_languages.best_match(offered) or "en"
    return g.language
