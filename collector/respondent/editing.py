"""A respondent changes a submitted answer through its receipt link, while the survey's allow_edit_days
last. The change goes through the survey's own pages (a draft holding the answer as it is), and is stored
as the answer's next version under the same id and receipt: analysts see the latest, and its history."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import es_client
from collector import journal
from collector.common import clock
from collector.journal import versions
from collector.respondent import answering, drafts
from collector.search import engines


def current(doc_id):
    """The answer's newest version: this journal's while it waits to ship, else the search engine's."""
    if versions.waiting(doc_id):
        return journal.fetch(doc_id)
    return engines.current().get(doc_id)


def deadline(survey, doc):
    """Until when the respondent may change this answer, or None (the survey allows no changes)."""
    return doc.submitted_at + timedelta(days=survey.allow_edit_days) if survey.allow_edit_days else None


def open_for_edit(survey, doc):
    """Whether the answer may still be changed."""
    until = deadline(survey, doc)
    return until is not None and datetime.fromtimestamp(clock.now(), timezone.utc) < until


def start(survey, doc):
    """A draft holding the answer as it is now, to be changed page by page; its resume token."""
    answers = doc.answers.to_dict() if doc.answers else {}
    draft = {"token": drafts.new_token(), "survey": survey.slug, "page": 0, "edit_of": doc.meta.id,
             "answers": {q.id: answers[q.id] for q in survey.questions if q.id in answers},
             "hidden": {name: answers[name] for name in survey.hidden if name in answers},
             "language": answers.get("language"), "email": doc.email}
    drafts.current().put(draft)
    return draft["token"]


def store(survey, form, answers, draft):
    """Journal the change as the answer's next version (same id and receipt); None when the answer can no
    longer be changed (its days are over, or it was erased meanwhile)."""
    previous = current(draft["edit_of"])
    if previous is None or not open_for_edit(survey, previous):
        return None
    email = form.email.data if "email" in form else previous.email
    # an analyst's verdict too
    kept = SimpleNamespace(is_spam=bool(previous.is_spam), score=previous.spam_score or 0)
    doc = answering.build_response(survey, answers, email, kept, draft["hidden"])
    doc.meta.id = previous.meta.id
    doc.submitted_at = previous.submitted_at
    doc.edited_at = datetime.fromtimestamp(clock.now(), timezone.utc)
    doc.edit_key = previous.edit_key
    doc.history = [*history_of(previous), replaced(previous)]
    try:
        versions.replace(doc, answering.text_answers(survey, answers))
    except versions.Erased:
        return None
    return doc


def history_of(doc):
    """The versions an answer replaced, oldest first, as plain dicts."""
    return [entry.to_dict() if hasattr(entry, "to_dict") else dict(entry) for entry in (doc.history or [])]


def replaced(doc):
    """What the history keeps of a version being replaced: its number, when it was written, its answers."""
    return {"version": len(doc.history or []) + 1, "at": (doc.edited_at or doc.submitted_at).isoformat(),
            "answers": doc.answers.to_dict() if doc.answers else {}}


def receipt_doc(doc_id):
    """The answer a receipt page shows, or None; this journal's copy while the index cannot say."""
    try:
        return current(doc_id)
    except es_client.DomainUnavailable:
        return journal.fetch(doc_id)
