"""JSON for scripts: code counts, crosstabs, distinctive terms, similar answers, saved searches."""
from flask import Blueprint, jsonify, request
from werkzeug.datastructures import MultiDict

from collector import meaning, surveys
from collector.accounts import auth
from collector.accounts.roles import needs
from collector.analyst import panels, presenting
from collector.coding import saved, stores
from collector.coding.api import json_object
from collector.common.error_pages import UserError
from collector.meaning.groups import grouped
from collector.search import by_meaning, engines
from collector.search.params import query_of

bp = Blueprint("analysis_api", __name__, url_prefix="/api")
SIMILAR_MAX = 50
GROUPS_MAX = 2000  # answers a grouping compares pairwise (the newest the search selects)


def checked_group(group):
    """A crosstab group: 'spam' or a choice, rating or hidden field id; else UserError 400."""
    kinds = surveys.SURVEYS.of().field_kinds()
    if group != "spam" and kinds.get(group) not in ("keyword", "integer"):
        raise UserError("Group by 'spam' or by the id of a choice, rating or hidden field.")
    return group


def codes_of(ids):
    """{answer id: [code names]} from the coding store, the codes' source of truth."""
    return stores.current().codes_for(ids)


@bp.get("/codes/counts")
@needs("viewer")
def code_counts():
    """How many matching answers carry each code, and per day."""
    engine = engines.current()
    query = query_of(request.args)
    counts = engine.code_counts(query)
    days = [{"day": day, "code": name, "count": n} for day, name, n in engine.code_days(query)]
    return jsonify(codes=[{"name": name, "count": n} for name, n in counts.items()], per_day=days)


@bp.get("/crosstab")
@needs("viewer")
def crosstab():
    """Codes by group (?group=spam or a field id) for the matching answers, with row percentages."""
    group = checked_group(request.args.get("group", "spam"))
    query = query_of(request.args)
    return jsonify(presenting.crosstab_json(engines.current().crosstab(query, group)))


@bp.get("/terms")
@needs("viewer")
def terms():
    """Distinctive words and two-word phrases of the matching answers."""
    found, common = panels.terms_for(query_of(request.args), request.args)
    return jsonify(terms=[{"term": t.term, "count": t.count, "score": round(t.score, 6)} for t in found],
                   most_common=common)


@bp.get("/responses/<doc_id>/similar")
@needs("viewer")
def similar(doc_id):
    """?by=words (shared distinctive words) or meaning (the nearest vectors), size=1..50: the answers most
    like this one, with their codes (and their similarity, by meaning)."""
    engine = engines.current()
    doc = engine.get(doc_id)
    if doc is None:
        raise UserError("There is no answer with that id.", 404)
    by = request.args.get("by", "words")
    size = request.args.get("size", "10")
    if by not in ("words", "meaning") or not size.isdigit() or not 1 <= int(size) <= SIMILAR_MAX:
        raise UserError(f"'by' is words or meaning, and 'size' a whole number from 1 to {SIMILAR_MAX}.")
    if by == "meaning":
        found = engine.nearest(meaning.answer_vector(doc), int(size), exclude=(doc_id,))
    else:
        found = [(other, None) for other in engine.similar(doc_id, int(size))]
    codes = codes_of([other.meta.id for other, _ in found])
    return jsonify(hits=[dict(presenting.doc_json(other, codes.get(other.meta.id, ())),
                              **({} if score is None else {"similarity": round(score, 4)})) for other, score in found])


@bp.get("/groups")
@needs("viewer")
def groups():
    """?<search parameters>&threshold=0.9: near-duplicate groups among the newest GROUPS_MAX answers the
    search selects (every member's cosine with the group's example at least threshold), largest first."""
    threshold = request.args.get("threshold", "0.9")
    try:
        threshold = float(threshold)
    except ValueError:
        threshold = -1.0
    if not 0.5 <= threshold <= 1.0:
        raise UserError("'threshold' is a cosine from 0.5 to 1 (0.9: nearly the same words or meaning).")
    meaning.required()  # without the model this server has no vectors to group
    ids, matrix = engines.current().vectors(by_meaning.counted(query_of(request.args)), GROUPS_MAX)
    return jsonify(groups=grouped(ids, matrix, threshold), looked_at=len(ids))


def saved_json(row):
    """A saved search as JSON."""
    return {"id": row["id"], "name": row["name"], "params": saved.params_dict(row), "code": row["code"],
            "disabled": row["disabled"], "created_by": row["created_by"], "created_at": row["created_at"]}


@bp.route("/saved", methods=["GET", "POST"])
@needs("analyst")
def saved_searches():
    """GET lists the saved searches; POST {"name", "params": {...}, "code": name or null} saves one."""
    store = stores.current()
    if request.method == "GET":
        return jsonify(saved=[saved_json(row) for row in store.listing()])
    body = json_object()
    params = body.get("params") or {}
    if not isinstance(params, dict):
        raise UserError("'params' must be an object of search parameters.")
    pairs = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])]
    row = store.save(body.get("name"), saved.params_of(MultiDict(pairs)), body.get("code"), auth.current_analyst())
    return jsonify(saved_json(store.find(row["id"]))), 201


@bp.delete("/saved/<saved_id>")
@needs("analyst")
def delete_saved(saved_id):
    """Forget a saved search; codes it gave stay."""
    stores.current().delete(saved_id, auth.current_analyst())
    return jsonify(deleted=saved_id)
