"""Which codes go together: a codes × codes table of the matching answers carrying both, each
cell a link to those answers, as a page, JSON and CSV."""
import csv
import io

from flask import Blueprint, Response, jsonify, render_template, request

from collector.accounts.roles import needs
from collector.common.cells import neutralize
from collector.search import engines
from collector.search.params import query_of

bp = Blueprint("cooccurrence", __name__)


def table(query):
    """(codes, most used first; {(a, b): answers with both}) for the search."""
    pairs = engines.current().code_pairs(query)
    codes = sorted({a for a, _ in pairs}, key=lambda code: (-pairs[(code, code)], code))
    return codes, pairs


@bp.get("/cooccurrence")
@needs("viewer")
def page():
    """The table, each cell leading to the answers with both codes."""
    codes, pairs = table(query_of(request.args))
    return render_template("analyst/cooccurrence.html", codes=codes, pairs=pairs)


@bp.get("/api/cooccurrence")
@needs("viewer")
def api():
    """{"codes": [...], "pairs": [{"codes": [a, b], "answers": n}]} (each unordered pair once, the diagonal too)."""
    codes, pairs = table(query_of(request.args))
    order = {code: n for n, code in enumerate(codes)}
    return jsonify(codes=codes, pairs=[{"codes": [a, b], "answers": n} for (a, b), n in sorted(pairs.items())
                                       if order[a] <= order[b]])


@bp.get("/cooccurrence.csv")
@needs("viewer")
def download():
    """The table as CSV: a row per code, a column per code."""
    codes, pairs = table(query_of(request.args))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", *map(neutralize, codes)])
    for a in codes:
        writer.writerow([neutralize(a), *(pairs.get((a, b), 0) for b in codes)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="code-cooccurrence.csv"'})
