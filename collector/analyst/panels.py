"""Dashboard panels that load after the page: the distinctive words and phrases of the matches."""
from flask import Blueprint, render_template, request

from collector.search import engines
from collector.search.params import query_of, used_filters

bp = Blueprint("panels", __name__, url_prefix="/panels")


@bp.route("/terms")
def terms():
    """The list alone for the dashboard's script; a page of its own for a browser without it."""
    fragment = request.headers.get("X-Requested-With") == "fetch"
    query = query_of(request.args)  # a bad parameter or a silent engine: the app's escaped error page
    found = engines.current().distinctive_terms(query)
    shown = [t for t in found if not in_query(t.term, query.q)]
    template = "analyst/_terms.html" if fragment else "analyst/terms.html"
    return render_template(template, terms=shown, filtered=bool(used_filters(request.args)))


def in_query(term, q):
    """Whether the search words already ask for this term (so it is not offered again)."""
    words = (q or "").lower()
    return f'"{term}"' in words or (" " not in term and term in words.replace('"', " ").split())
