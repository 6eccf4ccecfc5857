"""JSON for scripts: coding answers one by one and in bulk, spam verdicts, and undoing (the codebook: codebook_api)."""
from flask import Blueprint, jsonify, request

from collector import journal
from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import stores
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.search import engines
from collector.search.params import query_of

bp = Blueprint("coding_api", __name__, url_prefix="/api")
IDS_MAX = 2000  # answers one apply may name by id (a group of near duplicates, at most the whole grouping)


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


def existing_answer(doc_id):
    """UserError 404 unless the answer exists here or in the index."""
    if journal.fetch(doc_id) is None and engines.current().get(doc_id) is None:
        raise UserError("There is no answer with that id.", 404)


@bp.route("/responses/<doc_id>/codes", methods=["GET", "POST"])
@needs("viewer", POST="coder")
def answer_codes(doc_id):
    """GET an answer's codings (who, when, automatic); POST {"add": [...], "remove": [...]}."""
    store = stores.current()
    existing_answer(doc_id)
    if request.method == "GET":
        return jsonify(codings=[dict(row) | {"auto": bool(row["auto"])} for row in store.codings_of(doc_id)])
    body = json_object()
    codes = store.change_codes(doc_id, names(body, "add"), names(body, "remove"), auth.current_analyst())
    return jsonify(codes=codes)


@bp.post("/responses/<doc_id>/spam")
@needs("coder")
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


@bp.post("/codes/<path:name>/apply")
@needs("analyst")
def apply_code(name):
    """Give every answer matching the search parameters (or the answers named by ids=, say a group of near
    duplicates) the code, as one undoable batch."""
    store = stores.current()
    code = store.code_named(name)
    named = [i for value in request.args.getlist("ids") for i in value.split(",") if i]
    if len(named) > IDS_MAX:
        raise UserError(f"Name at most {IDS_MAX} answers with ids=; for more, code a search.")
    for doc_id in dict.fromkeys(named):
        existing_answer(doc_id)
    ids = list(dict.fromkeys(named)) or list(engines.current().ids(query_of(request.args)))
    batch, applied = store.apply(code, ids, auth.current_analyst(), list(request.args.items(multi=True)))
    return jsonify(applied=applied, matched=len(ids), batch=batch)


@bp.post("/batches/<batch_id>/undo")
@needs("analyst")
def undo(batch_id):
    """Take back a bulk application, a merge (merge-<id>) or a split (split-<id>): {"removed": answers it touched}."""
    store = stores.current()
    actor = auth.current_analyst()
    kind, _, key = batch_id.partition("-")
    undo_kind = {"merge": store.undo_merge, "split": store.undo_split}.get(kind) if key else None
    removed = undo_kind(key, actor) if undo_kind else store.undo(batch_id, actor)
    return jsonify(removed=removed)
