"""JSON for scripts: the codebook (a tree of codes with definitions), merging and splitting codes."""
from flask import Blueprint, jsonify, request
from werkzeug.datastructures import MultiDict

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import keys, stores, tree
from collector.coding.api import json_object
from collector.coding.hierarchy import checked_details
from collector.common.error_pages import UserError
from collector.search import engines
from collector.search.params import query_of

bp = Blueprint("codebook_api", __name__, url_prefix="/api")
DETAILS = ("definition", "exclusion", "examples")


def code_json(row):
    """A codebook row as JSON: its parent by name, its own answers and answers_total (with the codes under it)."""
    keys = ("name", "description", *DETAILS, "created_by", "created_at", "answers", "answers_total", "key")
    return {k: row[k] for k in keys} | {"parent": row["parent_name"]}


def _row(code_id):
    return next(row for row in stores.current().codebook() if str(row["id"]) == str(code_id))


def _parent(body):
    """The code named by body["parent"] (None: the top level); UserError when it is not a name or null."""
    name = body.get("parent")
    if name is not None and not isinstance(name, str):
        raise UserError("'parent' must be a code name or null.")
    return stores.current().code_named(name) if name else None


def _checked(store, code, body):
    """Refuse a change before anything is written: a cycle, a name taken, bad definitions."""
    if any(key in body for key in DETAILS):
        checked_details(body.get("definition"), body.get("exclusion"), body.get("examples", []))
    if code is not None and "parent" in body:
        parent = _parent(body)
        tree.check_parent(*store.code_tree(), code["id"], parent and parent["id"])
    if code is not None and "key" in body:
        keys.checked(body["key"], store.codebook(), code["id"])
    other = code is not None and "name" in body and store.find_code(str(body["name"]))
    if other and str(other["id"]) != str(code["id"]):
        raise UserError(f"A code called '{other['name']}' exists already.", 409)


def _details(store, code, body, actor):
    """Set what the body says of the code's definition, exclusion rule and examples (the rest as it was)."""
    if any(key in body for key in DETAILS):
        row = _row(code["id"])
        store.define_code(code, *(body.get(key, row[key]) for key in DETAILS), actor)


@bp.get("/codes")
@needs("viewer")
def list_codes():
    """The codebook in tree order, each code with its parent and counts."""
    return jsonify(codes=[code_json(row) for row in stores.current().codebook()])


@bp.post("/codes")
@needs("analyst")
def create_code():
    """Add a code (under a parent, with a definition, if given): 201, or 409 when the name is taken."""
    store = stores.current()
    body = json_object()
    actor = auth.current_analyst()
    _checked(store, None, body)
    code = store.create_code(body.get("name"), body.get("description"), actor, _parent(body))
    _details(store, code, body, actor)
    return jsonify(code_json(_row(code["id"]))), 201


@bp.route("/codes/<path:name>", methods=["PATCH", "DELETE"])
@needs("analyst", DELETE="admin")
def change_code(name):
    """PATCH renames, describes, defines or moves a code (parent: a name, or null for the top); DELETE removes
    it from the codebook and every answer (the codes under it move up one level)."""
    store = stores.current()
    actor = auth.current_analyst()
    code = store.code_named(name)
    if request.method == "DELETE":
        removed = store.delete_code(code, actor)
        return jsonify(removed_from=removed, **looking_again(store))
    body = json_object()
    _checked(store, code, body)
    parent = _parent(body) if "parent" in body else None
    code = store.edit_code(code, body.get("name", code["name"]), body.get("description"), actor)
    if "parent" in body:
        store.move_code(code, parent, actor)
    if "key" in body:
        store.set_key(code, body["key"], actor)
    _details(store, code, body, actor)
    return jsonify(code_json(_row(code["id"])))


def looking_again(store):
    """{"again_in_seconds": N} where the domain makes a write searchable only N seconds later (Serverless):
    answers coded in those seconds are changed then."""
    seconds = store.looks_again_after()
    return {"again_in_seconds": seconds} if seconds is not None else {}


@bp.post("/codes/<path:name>/merge")
@needs("admin")
def merge_code(name):
    """POST {"into": name}: the code's codings move to that code, saved searches and the codes under it follow."""
    store = stores.current()
    body = json_object()
    merge_id, answers = store.merge(store.code_named(name), store.code_named(str(body.get("into") or "")),
                                    auth.current_analyst())
    return jsonify(moved=answers, batch=f"merge-{merge_id}", **looking_again(store))


@bp.post("/codes/<path:name>/split")
@needs("analyst")
def split_code(name):
    """POST {"new": name} with search parameters: the code's answers among the matches move to a new code."""
    store = stores.current()
    body = json_object()
    source = store.code_named(name)
    ids = list(engines.current().ids(query_of(MultiDict([*request.args.items(multi=True), ("code", source["name"])]))))
    split_id, answers = store.split(source, body.get("new", body.get("name")), ids, auth.current_analyst())
    return jsonify(moved=answers, batch=f"split-{split_id}")
