"""An answer from a respondent's valid form, journalled (fsync'd) before anything is acknowledged:
the same for a one-page survey and for the last page of a paged one."""
import uuid

from flask import current_app, request

from collector import journal
from collector.common import clock
from collector.common.forms import clean_text
from collector.journal import versions
from collector.respondent import edit_codes, spam
from collector.surveys.taking import claim_place, journal_cap
from models import USER_AGENT_MAX, SurveyResponse

HIDDEN_MAX_CHARS = 200


def hidden_values(survey, args=None):
    """The survey's hidden fields as the link carried them (?source=newsletter)."""
    args = request.args if args is None else args
    values = {name: (clean_text(args.get(name)) or "")[:HIDDEN_MAX_CHARS] for name in survey.hidden}
    return {name: value for name, value in values.items() if value}


def build_response(survey, answers, email, verdict, hidden=None):
    """A new SurveyResponse from valid answers, with request facts and the spam verdict."""
    return SurveyResponse(
        meta={"id": str(uuid.uuid4())},
        essay=search_text(survey, answers),
        email=email or None,
        client_ip=request.remote_addr,
        submitted_at=clock.utc(),
        is_spam=verdict.is_spam,
        spam_score=round(verdict.score, 3),
        tags=current_app.config["SURVEY_TAGS"].split(","),
        user_agent=request.user_agent.string[:USER_AGENT_MAX] or None,
        survey=survey.slug,
        survey_version=survey.version,
        answers={**(hidden_values(survey) if hidden is None else hidden), **answers},
    )


def text_answers(survey, answers):
    """{question id: text} of the answered essay and text questions, in question order."""
    return {q.id: answers[q.id] for q in survey.text_questions if answers.get(q.id)}


def search_text(survey, answers):
    """Every text answer, joined: what a word search without `in=` reads."""
    return "\n\n".join(text_answers(survey, answers).values())


def store(survey, form, answers, hidden=None, edit_code=None):
    """Journal the answer (fsync'd) and return it, or None when the survey is full. form: the last page's,
    for its email and spam signals; answers: every visible question's (hidden ones are never stored);
    edit_code: the code that may change it later (its digest is stored with it)."""
    email = form.email.data if "email" in form else None
    texts = text_answers(survey, answers)
    verdict = spam.assess(form, "\n\n".join(texts.values()), email, request.remote_addr)
    doc = build_response(survey, answers, email, verdict, hidden)
    doc.edit_key = edit_codes.digest(edit_code) if edit_code else None
    state = versions.new_state()
    place = claim_place(survey, doc.meta.id)
    if place is False:  # every place is taken, on this instance or another
        return None
    return doc if journal.insert(doc, state, texts=texts, cap=None if place else journal_cap(survey)) else None
