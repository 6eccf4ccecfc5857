"""JSON for scripts: the codebook, coding answers one by one and in bulk, and undoing."""
from flask import Blueprint, jsonify, request

from collector import coding, journal
from collector.accounts import auth
from collector.coding import bulk, index_sync
from collector.search import engines
from collector.search.params import query_of
from collector.web.error_pages import UserError

bp = Blueprint("coding_api", __name__, url_prefix="/api")


def json_object():
    """The request's JSON object, or UserError 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise UserError("Send a JSON object (Content-Type: application/json).")
    return body


def names(body, key):
    """A list of code names from a JSON body."""
    value = body.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"'{key}' must be a list of code names.")
    return value


def code_json(code):
    """A codebook entry as JSON."""
    keys = ("name", "description", "created_by", "created_at", "answers")
    return {k: code[k] for k in keys if k in code.keys()}


@bp.get("/codes")
def list_codes():
    """The codebook with how many answers carry each code."""
    return jsonify(codes=[code_json(c) for c in coding.codebook(journal.get_db())])


@bp.post("/codes")
def create_code():
    """Add a code: 201, or 409 when the name is taken."""
    body = json_object()
    code = coding.create_code(journal.get_db(), body.get("name"), body.get("description"), auth.current_analyst())
    return jsonify(code_json(code)), 201


@bp.route("/codes/<path:name>", methods=["PATCH", "DELETE"])
def change_code(name):
    """PATCH renames or describes a code; DELETE removes it from the codebook and every answer."""
    db, actor = journal.get_db(), auth.current_analyst()
    code = coding.code_named(db, name)
    if request.method == "DELETE":
        removed = coding.delete_code(db, code, actor)
        index_sync.push_now()
        return jsonify(removed_from=removed)
    body = json_object()
    edited = coding.edit_code(db, code, body.get("name", code["name"]), body.get("description"), actor)
    index_sync.push_now()
    return jsonify(code_json(edited))


def existing_answer(doc_id):
    """UserError 404 unless the answer exists here or in the index."""
    if journal.fetch(doc_id) is None and engines.current().get(doc_id) is None:
        raise UserError("There is no answer with that id.", 404)


@bp.route("/responses/<doc_id>/codes", methods=["GET", "POST"])
def answer_codes(doc_id):
    """GET an answer's codings (who, when, automatic); POST {"add": [...], "remove": [...]}."""
    db = journal.get_db()
    existing_answer(doc_id)
    if request.method == "GET":
        return jsonify(codings=[dict(row) | {"auto": bool(row["auto"])} for row in coding.codings_of(db, doc_id)])
    body = json_object()
    codes = coding.change_codes(db, doc_id, names(body, "add"), names(body, "remove"), auth.current_analyst())
    index_sync.push_now()
    return jsonify(codes=codes)


@bp.post("/codes/<path:name>/apply")
def apply_code(name):
    """Give every answer matching the search parameters the code, as one undoable batch."""
    db = journal.get_db()
    code, query = coding.code_named(db, name), query_of(request.args)
    ids = list(engines.current().ids(query))
    batch, applied = bulk.apply(db, code, ids, auth.current_analyst(), list(request.args.items(multi=True)))
    index_sync.push_now()
    return jsonify(applied=applied, matched=len(ids), batch=batch)


@bp.post("/batches/<int:batch_id>/undo")
def undo(batch_id):
    """Take back a bulk application."""
    removed = bulk.undo(journal.get_db(), batch_id, auth.current_analyst())
    index_sync.push_now()
    return jsonify(removed=removed)
