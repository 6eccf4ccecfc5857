"""Dashboard panels that load after the page: the distinctive words and phrases of the matches."""
import itertools

from flask import Blueprint, render_template, request

from collector.accounts.roles import needs
from collector.search import distinctive, engines
from collector.search.params import query_of, used_filters

bp = Blueprint("panels", __name__, url_prefix="/panels")


def terms_for(query, args):
    """(terms to offer, whether they are merely the most common): the distinctive terms of the matches, or,
    for all answers or a survey looked at alone (nothing stands out against itself), its most common words."""
    engine = engines.current()
    found = engine.distinctive_terms(query)
    common = False
    if not found and used_filters(args) in ([], ["survey"]):
        texts = (doc.essay for doc in itertools.islice(engine.scan(query), distinctive.SAMPLE))
        found = distinctive.most_common(texts)
        common = True
    offered = distinctive.offered(found, query)
    return offered, common and bool(offered)  # "these are the most common" only above a list


@bp.route("/terms")
@needs("viewer")
def terms():
    """The list alone for the dashboard's script; a page of its own for a browser without it."""
    fragment = request.headers.get("X-Requested-With") == "fetch"
    shown, common = terms_for(query_of(request.args), request.args)  # a bad parameter: the app's error page
    template = "analyst/_terms.html" if fragment else "analyst/terms.html"
    return render_template(template, terms=shown, common=common, filtered=bool(used_filters(request.args)))
