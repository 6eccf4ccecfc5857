"""JSON for scripts: the codebook, coding answers one by one and in bulk, and undoing."""
from flask import Blueprint, jsonify, request
from werkzeug.datastructures import MultiDict

from collector import journal
from collector.accounts import auth
from collector.coding import index_sync, stores
from collector.journal import audit
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
    return jsonify(codes=[code_json(c) for c in stores.current().codebook()])


@bp.post("/codes")
def create_code():
    """Add a code: 201, or 409 when the name is taken."""
    body = json_object()
    code = stores.current().create_code(body.get("name"), body.get("description"), auth.current_analyst())
    return jsonify(code_json(code)), 201


@bp.route("/codes/<path:name>", methods=["PATCH", "DELETE"])
def change_code(name):
    """PATCH renames or describes a code; DELETE removes it from the codebook and every answer."""
    store, actor = stores.current(), auth.current_analyst()
    code = store.code_named(name)
    if request.method == "DELETE":
        removed = store.delete_code(code, actor)
        index_sync.push_now()
        return jsonify(removed_from=removed)
    body = json_object()
    edited = store.edit_code(code, body.get("name", code["name"]), body.get("description"), actor)
    index_sync.push_now()
    return jsonify(code_json(edited))


def existing_answer(doc_id):
    """UserError 404 unless the answer exists here or in the index."""
    if journal.fetch(doc_id) is None and engines.current().get(doc_id) is None:
        raise UserError("There is no answer with that id.", 404)


@bp.route("/responses/<doc_id>/codes", methods=["GET", "POST"])
def answer_codes(doc_id):
    """GET an answer's codings (who, when, automatic); POST {"add": [...], "remove": [...]}."""
    store = stores.current()
    existing_answer(doc_id)
    if request.method == "GET":
        return jsonify(codings=[dict(row) | {"auto": bool(row["auto"])} for row in store.codings_of(doc_id)])
    body = json_object()
    codes = store.change_codes(doc_id, names(body, "add"), names(body, "remove"), auth.current_analyst())
    index_sync.push_now()
    return jsonify(codes=codes)


@bp.post("/responses/<doc_id>/spam")
def spam_verdict(doc_id):
    """POST {"spam": true|false}: an analyst's verdict on the answer, replacing the spam filter's."""
    verdict = json_object().get("spam")
    if not isinstance(verdict, bool):
        raise UserError("'spam' must be true or false.")
    return jsonify(spam=mark_spam(doc_id, verdict))


def mark_spam(doc_id, is_spam):
    """Record an analyst's spam verdict on one answer (audited); the verdict."""
    existing_answer(doc_id)
    engines.current().mark_spam([doc_id], is_spam)
    audit.log_action(journal.get_db(), auth.current_analyst(), "spam.mark", 1, "spam" if is_spam else "not spam")
    return is_spam


@bp.post("/codes/<path:name>/merge")
def merge_code(name):
    """POST {"into": name}: the code's codings move to that code, saved searches follow, it is gone."""
    store, body = stores.current(), json_object()
    merge_id, answers = store.merge(store.code_named(name), store.code_named(str(body.get("into") or "")),
                                    auth.current_analyst())
    index_sync.push_now()
    return jsonify(merge=merge_id, answers=answers)


@bp.post("/merges/<merge_id>/undo")
def undo_merge(merge_id):
    """Take a merge back: the code, its codings and saved searches as they were."""
    answers = stores.current().undo_merge(merge_id, auth.current_analyst())
    index_sync.push_now()
    return jsonify(answers=answers)


@bp.post("/codes/<path:name>/split")
def split_code(name):
    """POST {"name": new name} with search parameters: the code's answers among the matches move to a new code."""
    store, body = stores.current(), json_object()
    source = store.code_named(name)
    ids = list(engines.current().ids(query_of(MultiDict([*request.args.items(multi=True), ("code", source["name"])]))))
    split_id, answers = store.split(source, body.get("name"), ids, auth.current_analyst())
    index_sync.push_now()
    return jsonify(split=split_id, answers=answers), 201


@bp.post("/splits/<split_id>/undo")
def undo_split(split_id):
    """Take a split back: the answers under their code again, the new code gone."""
    answers = stores.current().undo_split(split_id, auth.current_analyst())
    index_sync.push_now()
    return jsonify(answers=answers)


@bp.post("/codes/<path:name>/apply")
def apply_code(name):
    """Give every answer matching the search parameters the code, as one undoable batch."""
    store = stores.current()
    code, query = store.code_named(name), query_of(request.args)
    ids = list(engines.current().ids(query))
    batch, applied = store.apply(code, ids, auth.current_analyst(), list(request.args.items(multi=True)))
    index_sync.push_now()
    return jsonify(applied=applied, matched=len(ids), batch=batch)


@bp.post("/batches/<batch_id>/undo")
def undo(batch_id):
    """Take back a bulk application."""
    removed = stores.current().undo(batch_id, auth.current_analyst())
    index_sync.push_now()
    return jsonify(removed=removed)
