"""Respondent pages: the essay form and the thank-you page with the receipt code."""
import sqlite3
import uuid
from datetime import datetime, timezone

from flask import Blueprint, Response, abort, current_app, make_response, redirect, render_template, request, url_for

from collector import journal, security, shipper, spam
from collector.extensions import limiter
from collector.forms import SurveyForm
from models import USER_AGENT_MAX, SurveyResponse, id_for_receipt

bp = Blueprint("survey", __name__)

CSRF_EXPIRED = (
    "This page was open for a long time, so we could not verify it. Your answer is "
    "still below: please submit it again."
)
TOO_MANY = (
    "You have sent several answers in a short time, so we paused. Your answer is still "
    "below: please wait a minute and submit it again."
)
NOT_STORED = (
    "We could not save your answer just now. Nothing was lost from this page: please "
    "try submitting again in a minute."
)


def build_response(form, verdict):
    """A new SurveyResponse from a valid form, enriched with request facts and the spam verdict."""
    return SurveyResponse(
        meta={"id": str(uuid.uuid4())},
        essay=form.essay.data,
        email=form.email.data,
        client_ip=request.remote_addr,
        submitted_at=datetime.now(timezone.utc),
        is_spam=verdict.is_spam,
        spam_score=round(verdict.score, 3),
        tags=current_app.config["SURVEY_TAGS"].split(","),
        user_agent=request.user_agent.string[:USER_AGENT_MAX] or None,
    )


def render_form(form, status=200, alert=None):
    """The form page, with any errors and the respondent's text kept."""
    if "csrf_token" in form.errors:
        alert = alert or CSRF_EXPIRED
    if not form.started.data:
        form.started.data = spam.start_token()
    question = current_app.config["SURVEY_QUESTION"]
    return render_template("survey/form.html", form=form, question=question, alert=alert), status


def rate_limited(limit=None):
    """Over SUBMIT_RATE_LIMIT: 429, with the respondent's text still in the form."""
    return make_response(render_form(SurveyForm(), 429, TOO_MANY))


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(security.submit_limit, methods=["POST"], exempt_when=security.submit_limit_off,
               on_breach=rate_limited)
def form():
    """Show the form; store a valid answer and redirect to its receipt."""
    form = SurveyForm()
    if not form.validate_on_submit():
        return render_form(form, 400 if request.method == "POST" else 200)
    try:
        doc = build_response(form, spam.assess(form, request.remote_addr))
        # Embedded mode indexes in the same commit, so there is nothing left to ship.
        state = "pending" if current_app.config["SEARCH_URL"] else "shipped"
        journal.insert(doc, state)
    except sqlite3.Error:
        current_app.logger.exception("journal write failed")
        return render_form(form, 503, NOT_STORED)
    shipper.notify(current_app)
    return redirect(url_for(".thanks", receipt=doc.receipt), 303)


@bp.route("/thanks/<receipt>")
def thanks(receipt):
    """Confirm receipt; the code is all the respondent needs to ask for erasure."""
    try:
        id_for_receipt(receipt)
    except ValueError:
        abort(404)
    return render_template("survey/thanks.html", receipt=receipt)


@bp.route("/robots.txt")
def robots():
    """Keep crawlers away from analyst pages and receipts."""
    return Response("User-agent: *\nDisallow: /analyst/\nDisallow: /thanks/\n", mimetype="text/plain")
