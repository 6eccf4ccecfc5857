"""Analyst pages: login, search, one response, exports, and the JSON search API."""

from flask import (
    Blueprint,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

import es_client
from collector import meaning
from collector.accounts import auth, login_throttle, passwords, roles
from collector.accounts.roles import needs, public
from collector.analyst import (
    api,
    audit_log,
    budget,
    cooccurrence,
    dashboard,
    export_and_erase,
    panels,
    presenting,
    team_pages,
)
from collector.coding import api as coding_api
from collector.coding import codebook_api, index_sync, memo_pages, one_by_one, saved_pages, stores, tree_pages
from collector.coding import pages as coding_pages
from collector.coding.forms import AnswerCodeForm
from collector.common import links, security
from collector.common.forms import LoginForm
from collector.reliability import api as rounds_api
from collector.reliability import pages as rounds_pages
from collector.search import by_meaning, engines
from collector.search.params import query_of, used_filters
from collector.search.query import QueryError
from collector.suggestions import api as suggestions_api
from collector.suggestions import pages as suggestions_pages
from collector.suggestions import theme_pages
from collector.surveys import catalog

bp = Blueprint("analyst", __name__, url_prefix="/analyst")
bp.add_url_rule("/export.<fmt>", view_func=export_and_erase.export)
bp.add_url_rule("/erase", view_func=export_and_erase.erase, methods=["GET", "POST"])
# Coding pages and APIs live under /analyst and share its login check and no-store headers.
for part in (coding_pages, saved_pages, tree_pages, memo_pages, coding_api, codebook_api, one_by_one, api, panels,
             audit_log, cooccurrence, rounds_api, rounds_pages, theme_pages, suggestions_api,
             suggestions_pages, team_pages):
    bp.register_blueprint(part.bp)


@bp.context_processor
def surveys_in_templates():
    """Every analyst page can name surveys and questions."""
    return {"catalog": catalog(), "search_url": links.search_url, "group_filter": presenting.group_filter,
            "person": auth.identified(), "sees_emails": bool(auth.identified()) and auth.sees_emails(),
            "may": lambda role: bool(auth.identified()) and auth.holds(role), "finds_meaning": meaning.available()}


@bp.after_request
def never_cache(response):
    """Analyst pages hold emails and answers: after logout, Back must not show them from a cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _safe_next(target):
    """Where to go after login: a same-site path, else the dashboard."""
    return security.same_site_path(target) or url_for("analyst.index")


TOO_MANY_LOGINS = "Too many failed logins. Please wait a few minutes before trying again."


budget.init_app(bp)  # the app's sign-in gate runs before it: the check itself is never cut short


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Check the name and password against ANALYSTS, within the failed-login throttles."""
    if not auth.signs_in_here():  # the load balancer signs people in
        return redirect(url_for(".index"))
    form = LoginForm()
    if request.method == "POST" and login_throttle.address_blocked():
        abort(429, description=TOO_MANY_LOGINS)
    if form.validate_on_submit():
        name = form.name.data
        correct = auth.verify(form.name.data, form.password.data)
        if correct and login_throttle.may_log_in(name):
            passwords.log_in(name)
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
@needs("viewer")
def logout():
    """End the session (a POST, CSRF-checked, so no other page can log an analyst out)."""
    return auth.log_out()


@bp.before_request
def no_email_filter_for_viewers():
    """Searching by an address would tell a viewer who answered what: the email filter needs an analyst."""
    person = auth.identified()
    if person and request.args.get("email") and not auth.sees_emails():
        abort(403, description=roles.refusal("analyst", person.role))


@bp.before_request
def auto_code():
    """Answers that arrived since the last look get the codes of the saved searches they match."""
    if auth.identified():
        if stores.current().sweep():
            index_sync.push_now()  # the page about to show them counts them


def _query():
    return query_of(request.args)


@bp.route("/")
@needs("viewer")
def index():
    """The dashboard: figures and charts for the search and filters, then the matching answers."""
    engine = engines.current()
    try:
        query = _query()
        survey = catalog().selected(query.survey)
        page = engine.search(query)
        shown = dashboard.context(engine, by_meaning.counted(query), survey)
    except QueryError as exc:
        return render_template("analyst/search.html", page=None, error=str(exc)), 400
    except es_client.DomainUnavailable as exc:
        return render_template("analyst/search.html", page=None, error=str(exc)), 503
    if page.total and query.page > page.pages:  # ?page=99 of 3: the last page, not "page 99 of 3"
        return redirect(links.search_url(page=page.pages), 303)
    codes = stores.current().codes_for([hit.doc.meta.id for hit in page.hits])
    return render_template("analyst/search.html", page=page, error=None, survey=survey, codes=codes,
                           filtered=bool(used_filters(request.args)), charts=presenting.charts(survey, shown["overview"]),
                           chips=presenting.filter_chips(survey), **shown)


@bp.route("/responses/<doc_id>")
@needs("viewer")
def response(doc_id):
    """One answer in full."""
    doc = engines.current().get(doc_id)
    if doc is None:
        abort(404)
    store = stores.current()
    form = AnswerCodeForm()
    codings = store.codings_of(doc_id)
    codebook = store.codebook()
    has = {row["name"] for row in codings}  # the menu offers only codes the answer does not have yet
    form.add.choices = [("", "Choose a code…")] + [(c["name"], c["name"]) for c in codebook if c["name"] not in has]
    codes = {c["name"]: c for c in codebook if c["name"] in has}  # their ids, definitions and examples
    memos = [memo_pages.memo_json(m, {}) for m in store.memos_on(f"answer:{doc_id}")]
    return render_template("analyst/response.html", doc=doc, codings=codings, form=form, codes=codes, memos=memos,
                           similar=engines.current().similar(doc_id), back=links.safe_back(request.args.get("back")))


@bp.route("/api/search")
@needs("viewer")
def api_search():
    """The same search as JSON."""
    page = engines.current().search(_query())
    codes = stores.current().codes_for([hit.doc.meta.id for hit in page.hits])
    hits = [presenting.hit_json(hit, codes.get(hit.doc.meta.id, ())) for hit in page.hits]
    return jsonify(total=page.total, page=page.query.page, pages=page.pages, hits=hits)
