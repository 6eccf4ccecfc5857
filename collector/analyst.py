"""Analyst pages: login, search, one response, exports, and the JSON search API."""
from datetime import datetime, timezone

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from collector import audit, auth, erasure, exports, journal, login_throttle, presenting, security
from collector.forms import EraseForm, LoginForm
from collector.search import engines, insights
from collector.search.model import QueryError, SearchUnavailable
from collector.search.params import used_filters
from collector.surveys import catalog, query_from

bp = Blueprint("analyst", __name__, url_prefix="/analyst")
PUBLIC = {"analyst.login"}


@bp.context_processor
def surveys_in_templates():
    """Every analyst page can name surveys and questions."""
    return {"catalog": catalog()}


@bp.after_request
def never_cache(response):
    """Analyst pages hold emails and answers: after logout, Back must not show them from a cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_request
def require_login():
    """Every analyst route but login needs a session: JSON callers get 401, people a login page."""
    if request.endpoint in PUBLIC or auth.current_analyst():
        return None
    if auth.session_expired():
        flash("Your session ended after a while without activity. Please log in again.")
    if request.path.startswith("/analyst/api/"):
        return jsonify(error="Log in as an analyst first."), 401
    return redirect(url_for(".login", next=request.full_path if request.query_string else request.path))


def _safe_next(target):
    """Where to go after login: a same-site path, else the dashboard."""
    return security.same_site_path(target) or url_for(".index")


TOO_MANY_LOGINS = "Too many failed logins. Please wait a few minutes before trying again."


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Check the name and password against ANALYSTS, within the failed-login throttles."""
    form = LoginForm()
    if request.method == "POST" and login_throttle.address_blocked():
        abort(429, description=TOO_MANY_LOGINS)
    if form.validate_on_submit():
        name, correct = form.name.data, auth.verify(form.name.data, form.password.data)
        if correct and login_throttle.may_log_in(name):
            auth.log_in(name)
            return redirect(_safe_next(request.args.get("next")), 303)
        blocked = login_throttle.name_blocked(name)
        if not correct:
            login_throttle.failed(name)
        if blocked:
            abort(429, description=TOO_MANY_LOGINS)
        form.password.errors.append("Wrong name or password.")
    status = 400 if request.method == "POST" else 200
    return render_template("analyst/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session (a POST, CSRF-checked, so no other page can log an analyst out)."""
    auth.log_out()
    flash("You are logged out.")
    return redirect(url_for(".login"), 303)


def _query():
    return query_from(request.args, current_app.config["PAGE_SIZE"])


@bp.route("/")
def index():
    """The dashboard: totals, answers per day, top terms, and the search results."""
    engine = engines.current()
    try:
        query = _query()
        survey = catalog().selected(query.survey)
        facets = tuple(q.id for q in survey.chart_questions) if survey else ()
        page, overview = engine.search(query), engine.overview(query, facets)
        terms = insights.top_terms(engine.scan(query))
    except QueryError as exc:
        return render_template("analyst/search.html", page=None, error=str(exc)), 400
    except SearchUnavailable as exc:
        return render_template("analyst/search.html", page=None, error=str(exc)), 503
    backlog = journal.counts()["pending"] if current_app.config["SEARCH_URL"] else 0
    return render_template("analyst/search.html", page=page, overview=overview, terms=terms,
                           bars=insights.chart_bars(overview.per_day), backlog=backlog, error=None,
                           filtered=bool(used_filters(request.args)), survey=survey,
                           charts=presenting.charts(survey, overview), chips=presenting.filter_chips(survey))


@bp.route("/responses/<doc_id>")
def response(doc_id):
    """One answer in full."""
    try:
        doc = engines.current().get(doc_id)
    except SearchUnavailable as exc:
        abort(503, description=str(exc))
    if doc is None:
        abort(404)
    return render_template("analyst/response.html", doc=doc)


@bp.route("/export.<fmt>")
def export(fmt):
    """The whole filtered set as a streamed CSV or NDJSON download."""
    if fmt not in exports.FORMATS:
        abort(404)
    try:
        query = _query()
    except QueryError as exc:
        abort(400, description=str(exc))
    lines, mimetype = exports.FORMATS[fmt]
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    headers = {"Content-Disposition": f'attachment; filename="survey-answers-{stamp}.{fmt}"'}
    actor, scope = auth.current_analyst(), audit.scope_of(request.args)
    fields = catalog().export_fields(query.survey)
    body = _audited(lines, engines.current().scan(query), fields, f"export.{fmt}", actor, scope)
    return Response(stream_with_context(body), mimetype=mimetype, headers=headers)


def _audited(lines, docs, fields, action, actor, scope):
    docs = exports.Counted(docs)
    with audit.Recorded(journal.connect(current_app.config["JOURNAL_PATH"]), actor, action, scope) as entry:
        for line in lines(docs, fields):
            entry.sent(docs.count)
            yield line


@bp.route("/erase", methods=["GET", "POST"])
def erase():
    """Erase answers by email or receipt, after a confirmation step that says how many."""
    form = EraseForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("analyst/erase.html", form=form, found=None), status
    try:
        doc_ids = erasure.find(form.email.data, form.receipt.data)
        if form.confirm.data != "yes":
            form.confirm.data = "yes"
            return render_template("analyst/erase.html", form=form, found=len(doc_ids))
        count = erasure.erase(doc_ids, auth.current_analyst(), "email" if form.email.data else "receipt")
        later = bool(form.email.data) and erasure.needs_recheck()
    except SearchUnavailable as exc:
        abort(503, description=f"{exc} {erasure.RETRY}")
    if later:
        erasure.recheck_later(form.email.data, auth.current_analyst())
    flash(erasure.outcome(count, later))
    return redirect(url_for(".index"), 303)


@bp.route("/api/search")
def api_search():
    """The same search as JSON."""
    try:
        page = engines.current().search(_query())
    except QueryError as exc:
        return jsonify(error=str(exc)), 400
    except SearchUnavailable as exc:
        return jsonify(error=str(exc)), 503
    hits = [presenting.hit_json(hit) for hit in page.hits]
    return jsonify(total=page.total, page=page.query.page, pages=page.pages, hits=hits)
