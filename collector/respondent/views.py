"""Respondent pages: the survey forms (one page, or paged with resume links) and the list of open surveys; the
thank-you page and changing a sent answer are in receipts.py."""
import sqlite3
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from collector.accounts.roles import public
from collector.common import ratelimits, security
from collector.common.forms import clean_text
from collector.journal import fts
from collector.respondent import answering, conditions_said, drafts, edit_codes, editing, languages, paged, receipts, spam
from collector.respondent.forms import PREFIX, answers_of, form_class, page_fields, shown_answers, validated
from collector.shipping import shipper
from collector.surveys import catalog, conditions
from collector.surveys.taking import closed_state

bp = Blueprint("survey", __name__)
bp.add_app_template_global(languages.survey_text, "tr")  # a survey's own text in the request's language
CSRF_EXPIRED = _l(
    "This page was open for a long time, so we could not verify it. Your answer is "
    "still below: please submit it again."
)
NO_COOKIE = _l(
    "We could not verify this page: your browser did not send back its cookie (cookies may be blocked "
    "for this site, or the browser was restarted). Your answer is still below: allow cookies for this "
    "site if they are blocked, then submit it again."
)
TOO_MANY = _l(
    "You have sent several answers in a short time, so we paused. Your answer is still "
    "below: please wait a minute and submit it again."
)
LAST_PAGE = _l("No more pages follow for these answers: check them, then press “Send my answer”.")
NOT_STORED = _l(
    "We could not save your answer just now. Nothing was lost from this page: please "
    "try submitting again in a minute."
)


def render_form(survey, form, status=200, alert=None, page=None, action=None):
    """The form page (or one page of it), with any errors and the respondent's answers kept."""
    if "csrf_token" in form.errors:  # the token is checked against the session, which lives in a cookie
        cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
        alert = alert or (CSRF_EXPIRED if cookie else NO_COOKIE)
    if not form.started.data:
        form.started.data = spam.start_token()
    fields = [(languages.question_in(survey, q, g.get("language"))[0], f) for q, f in page_fields(form, survey)]
    # Hidden fields travel as a query string of their own: as url_for keywords, one named `slug`,
    # `endpoint` or `_external` clashed with url_for's own (a 500).
    hidden = {name: value for name, value in answering.hidden_values(survey).items() if value}
    hidden.update({"lang": g.language} if g.get("language") and request.args.get("lang") else {})
    action = action or url_for(request.endpoint, **(request.view_args or {})) + (f"?{urlencode(hidden)}"
                                                                                 if hidden else "")
    earlier = {k: v for k, v in page["draft"]["answers"].items() if PREFIX + k not in form} \
        if page and page["draft"] else {}  # what conditions on this page may read from pages before
    trees = {q.id: conditions.parse(q.show_if) for q, _ in fields if q.show_if}
    when = conditions_said.for_page(survey, [q for q, _ in fields], g.get("language"))
    return render_template("survey/form.html", survey=survey, form=form, fields=fields, alert=alert,
                           action=action, page=page, earlier=earlier, conditions=trees, when=when), status


def render_closed(survey):
    """410 with the survey's own closed message, or, before it opens, when it will. A respondent who
    was writing when it closed gets their text back, to copy: nothing typed is lost on screen."""
    opens = survey.opens if closed_state(survey) == "not yet open" else None
    typed = [(q.label, clean_text(request.form.get(q.id))) for q in survey.text_questions] \
        if request.method == "POST" else []
    return render_template("survey/closed.html", survey=survey, opens=opens, typed=[t for t in typed if t[1]]), 410


def _survey_of_request():
    slug = (request.view_args or {}).get("slug")
    surveys = catalog().surveys
    return surveys.get(slug) if slug else next(iter(surveys.values())) if len(surveys) == 1 else None


def rate_limited(limit=None):
    """Over SUBMIT_RATE_LIMIT: 429, with the respondent's answers still in the form."""
    survey = _survey_of_request()
    if survey is None:
        abort(429)
    return make_response(render_form(survey, form_class(survey)(), 429, TOO_MANY))


# Only stored answers count: a rejected post (a typo in an email) or a page turned costs nobody a try. One count
# for both routes, so a respondent cannot double the limit by posting to / and to /s/<slug>.
submit_limit = ratelimits.reserving("submit", security.submit_limit, security.submit_limit_off, rate_limited,
                                    kept=lambda response: response.status_code == 303
                                    and "/thanks/" in response.location)  # a page's Next is not an answer


@bp.route("/", methods=["GET", "POST"])
@submit_limit
@public
def form():
    """The only survey's form, or the list of open surveys when there are several."""
    survey = _survey_of_request()
    if survey:
        return serve(survey)
    if request.method == "POST":
        abort(405, description="Choose a survey from the list first.")
    surveys = [survey for survey in catalog().surveys.values() if not closed_state(survey)]
    languages.for_the_site()
    return render_template("survey/index.html", surveys=surveys)


@bp.route("/s/<slug>", methods=["GET", "POST"])
@submit_limit
@public
def take(slug):
    """One survey's form, by its slug."""
    return serve(catalog().get(slug) or abort(404))


def serve(survey, draft=None):
    """Show the form (a paged survey's page); store a valid answer and redirect to its receipt; 410 once closed."""
    languages.use(survey, draft)
    g.editing = bool(draft and draft.get("edit_of"))
    if closed_state(survey):
        return render_closed(survey)
    if len(survey.page_list) > 1:
        return paged.step(survey, draft, lambda *page: render_page(survey, *page),
                          lambda form, answers, draft: journalled(survey, form, answers, draft))
    form = form_class(survey, language=g.language)(data=paged.prefilled(draft) if request.method == "GET" else None)
    if not validated(form, survey):
        return render_form(survey, form, 400 if request.method == "POST" else 200)
    return journalled(survey, form, shown_answers(survey, answers_of(form, survey)), draft)


def journalled(survey, form, answers, draft=None):
    """Journal the answer (or an edit's new version), then its receipt (303); a draft it finishes goes."""
    answers = {**answers, "language": g.language} if survey.languages else answers
    a_change = bool(draft and draft.get("edit_of"))  # a change keeps the edit code the answer was sent with
    code = edit_codes.new() if survey.allow_edit_days and not a_change else None
    try:
        stored = editing.store(survey, form, answers, draft) if a_change else \
            answering.store(survey, form, answers, draft and draft["hidden"], edit_code=code)
    except sqlite3.Error:
        current_app.logger.exception("journal write failed")
        return render_form(survey, form, 503, NOT_STORED)
    if stored is None and a_change:  # its time ran out, or it was erased, meanwhile
        abort(410, description=receipts.TOO_LATE)
    if stored is None:  # the cap was reached while this answer was being written
        return render_closed(survey)
    if draft:
        drafts.current().delete(draft["token"])
    shipper.notify(current_app)
    fts.notify(current_app)
    receipts.remember(stored.receipt, changed=a_change)
    if code:
        edit_codes.remember(stored.receipt, code)
    return redirect(url_for("receipts.thanks", receipt=stored.receipt, lang=g.language), 303)


def render_page(survey, form, at, counted, draft, status):
    """One page of a paged survey: "page n of N", Back and Next (or Send), the resume link."""
    action = url_for(".resume", token=draft["token"]) if draft else None
    title = survey.text(("page", at + 1), g.language, survey.page_list[at].title)
    alert = LAST_PAGE if paged.at_end(draft, at) and status == 200 else None
    page = {"at": counted.index(at) + 1, "of": len(counted), "last": at == counted[-1], "title": title,
            "draft": draft, "id": survey.page_list[at].id}
    return render_form(survey, form, status, alert, page=page, action=action)


@bp.route("/r/<token>", methods=["GET", "POST"])
@submit_limit
@public
def resume(token):
    """A saved, unfinished answer: its page, where the respondent left it."""
    draft = paged.draft_or_404(token)
    return serve(catalog().get(draft["survey"]) or abort(404), draft)
