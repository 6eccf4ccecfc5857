"""The receipt: the thank-you page an answer's code opens, and, while the survey's allow_edit_days last,
the way back into the answer to change it, for whoever holds its edit code."""
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from collector import workspace
from collector.accounts.roles import public
from collector.common import ratelimits, security
from collector.respondent import edit_codes, editing, languages
from collector.surveys import catalog
from collector.surveys.taking import closed_state
from models import id_for_receipt

bp = Blueprint("receipts", __name__)
TOO_LATE = _l("This answer can no longer be changed: the time to change it is over, or it was erased.")
ERASED = _l("This answer was erased: nothing of it is kept here any more.")
WRONG_CODE = _l("This is not the edit code of this answer. Please check the code you were given with it.")
NO_CODE = _l("This answer was sent before answers had edit codes: it cannot be changed here.")
UNKNOWN = _l("We hold no answer with this receipt code. Please check the code you were given.")
JUST_SAVED, JUST_CHANGED = "saved", "changed"  # what this browser just did, in its signed session cookie


def remember(receipt, changed=False):
    """Note in the respondent's session that this receipt's answer was just stored (or changed), so the
    receipt page can say so even before the instance that shows it can read the answer."""
    session[JUST_SAVED] = receipt
    if changed:
        session[JUST_CHANGED] = receipt


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
@public
def thanks(receipt):
    """Confirm receipt; the code is all the respondent needs to ask for erasure (the edit code, to change it)."""
    doc, survey = _answer(receipt)
    if doc is None:
        _unless_just_sent(receipt)
    return _thanks_page(receipt, doc, survey)


def _thanks_page(receipt, doc, survey, wrong_code=None, status=200):
    """The receipt page: the codes, and while the answer may change, the form that asks for its edit code."""
    changed = session.pop(JUST_CHANGED, None) == receipt  # said once, right after the change
    again = url_for("survey.take", slug=survey.slug) if survey else url_for("survey.form")
    if survey and doc.answers:  # the same link again: the hidden fields it carried (?source=newsletter)
        hidden = {name: doc.answers[name] for name in survey.hidden if doc.answers.to_dict().get(name)}
        again += f"?{urlencode(hidden)}" if hidden else ""
    editable = survey and doc.edit_key and editing.open_for_edit(survey, doc)  # older answers have no code
    until = editing.deadline(survey, doc) if editable else None
    return render_template("survey/thanks.html", receipt=receipt, survey=survey, again=again, edit_until=until,
                           changed=changed, edit_code=edit_codes.remembered(receipt), wrong_code=wrong_code), status


def _unless_just_sent(receipt):
    """For an answer this instance cannot read: 410 once erased, 404 for a code never issued, and nothing
    when this browser has just sent it (another instance's journal holds it until it ships)."""
    if workspace.current().was_erased(id_for_receipt(receipt)):
        abort(410, description=ERASED)
    if session.get(JUST_SAVED) != receipt:
        abort(404, description=UNKNOWN)


# A wrong edit code costs one of the client's submit places: guessing codes is as slow as sending answers.
guess_limit = ratelimits.reserving("edit code", security.submit_limit, security.submit_limit_off,
                                   lambda limit=None: abort(429), kept=lambda response: response.status_code == 403)


@bp.route("/thanks/<receipt>/edit", methods=["POST"])
@guess_limit
@public
def edit(receipt):
    """Start changing a submitted answer, given its edit code: a draft of it, opened at its first page (303)."""
    doc, survey = _answer(receipt)
    if survey is None or not survey.allow_edit_days:
        abort(404)
    if closed_state(survey) or not editing.open_for_edit(survey, doc):
        abort(410, description=TOO_LATE)
    code = request.form.get("edit_code", "")
    if not edit_codes.matches(doc, code):
        return _thanks_page(receipt, doc, survey, wrong_code=WRONG_CODE if doc.edit_key else NO_CODE, status=403)
    edit_codes.remember(receipt, code)
    return redirect(url_for("survey.resume", token=editing.start(survey, doc)), 303)


@bp.route("/robots.txt")
@public
def robots():
    """Keep crawlers away from analyst pages and receipts."""
    return Response("User-agent: *\nDisallow: /analyst/\nDisallow: /thanks/\nDisallow: /r/\n", mimetype="text/plain")
