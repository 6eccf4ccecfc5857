"""The receipt: the thank-you page an answer's code opens, and, while the survey's allow_edit_days last,
the way back into the answer to change it."""
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from collector.respondent import editing, languages
from collector.surveys import catalog
from collector.surveys.taking import closed_state
from models import id_for_receipt

bp = Blueprint("receipts", __name__)
TOO_LATE = _l("This answer can no longer be changed: the time to change it is over, or it was erased.")


def _answer(receipt):
    """(the answer behind a receipt, its survey); either may be None."""
    try:
        doc = editing.receipt_doc(id_for_receipt(receipt))
    except ValueError:
        abort(404)
    survey = catalog().get(doc.survey) if doc else None
    if survey:
        languages.use(survey, {"language": (doc.answers.to_dict() if doc.answers else {}).get("language")})
    return doc, survey


@bp.route("/thanks/<receipt>")
def thanks(receipt):
    """Confirm receipt; the code is all the respondent needs to ask for erasure (or, for a while, to change it)."""
    doc, survey = _answer(receipt)
    again = url_for("survey.take", slug=survey.slug) if survey else url_for("survey.form")
    if survey and doc.answers:  # the same link again: the hidden fields it carried (?source=newsletter)
        hidden = {name: doc.answers[name] for name in survey.hidden if doc.answers.to_dict().get(name)}
        again += f"?{urlencode(hidden)}" if hidden else ""
    until = editing.deadline(survey, doc) if survey and editing.open_for_edit(survey, doc) else None
    return render_template("survey/thanks.html", receipt=receipt, survey=survey, again=again, edit_until=until,
                           edited=doc.edited_at if doc else None)


@bp.route("/thanks/<receipt>/edit", methods=["POST"])
def edit(receipt):
    """Start changing a submitted answer: a draft of it, opened at its first page (303)."""
    doc, survey = _answer(receipt)
    if survey is None or not survey.allow_edit_days:
        abort(404)
    if closed_state(survey) or not editing.open_for_edit(survey, doc):
        abort(410, description=TOO_LATE)
    return redirect(url_for("survey.resume", token=editing.start(survey, doc)), 303)


@bp.route("/robots.txt")
def robots():
    """Keep crawlers away from analyst pages and receipts."""
    return Response("User-agent: *\nDisallow: /analyst/\nDisallow: /thanks/\nDisallow: /r/\n", mimetype="text/plain")
