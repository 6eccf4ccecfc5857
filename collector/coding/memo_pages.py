"""Memos on codes and answers: a page to read, search, write and edit them, and JSON for scripts."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import stores
from collector.coding.api import existing_answer, json_object
from collector.common import links
from collector.common.error_pages import UserError

bp = Blueprint("memos", __name__)


def target_of(code=None, response=None):
    """'code:<id>' for a code name, 'answer:<id>' for an answer id; UserError unless exactly one names something."""
    if bool(code) == bool(response) or not all(isinstance(v, (str, type(None))) for v in (code, response)):
        raise UserError("Say which code (\"code\": name) or which answer (\"response\": id) the memo is on.")
    if code:
        return f"code:{stores.current().code_named(code)['id']}"
    existing_answer(response)
    return f"answer:{response}"


def code_names():
    """{code id as text: name}, for naming the codes memos are on."""
    return {str(code_id): name for code_id, name in stores.current().code_tree()[1].items()}


def memo_json(memo, names):
    """A memo as JSON: its code by name (names: from code_names) or its answer by id."""
    kind, _, key = memo["target"].partition(":")
    return {"id": str(memo["id"]), "code": names.get(key) if kind == "code" else None,
            "response": key if kind == "answer" else None, "text": memo["body"], "author": memo["author"],
            "created_at": memo["created_at"], "edited_at": memo["edited_at"], "edited_by": memo["edited_by"]}


def listed(args):
    """(memos, what they are): a code's or an answer's memos, or the search's (args: code, response, q)."""
    store = stores.current()
    if args.get("code") or args.get("response"):
        return store.memos_on(target_of(args.get("code"), args.get("response"))), "on"
    return store.search_memos(args.get("q")), "search"


@bp.get("/memos")
@needs("coder")
def memos_page():
    """Every memo holding the words searched (newest first), or one code's or one answer's, with a form to add one."""
    found, kind = listed(request.args)
    names = code_names()
    return render_template("analyst/memos.html", memos=[memo_json(m, names) for m in found], kind=kind)


@bp.post("/memos")
@needs("coder")
def add_memo_page():
    """Write a memo on the code or answer the form names, then back where the analyst was."""
    target = target_of(request.form.get("code"), request.form.get("response"))
    stores.current().add_memo(target, request.form.get("text"), auth.current_analyst())
    flash("Memo saved.")
    return redirect(links.safe_back(request.form.get("next")), 303)


@bp.post("/memos/<memo_id>/edit")
@needs("coder")
def edit_memo_page(memo_id):
    """Change a memo's text, then back where the analyst was."""
    stores.current().edit_memo(memo_id, request.form.get("text"), auth.current_analyst())
    flash("Memo saved.")
    return redirect(links.safe_back(request.form.get("next")), 303)


@bp.route("/api/memos", methods=["GET", "POST"])
@needs("coder")
def memos_api():
    """GET ?q= (search), ?code= or ?response=: {"memos": [...]}; POST {"code"|"response", "text"}: 201 and the memo."""
    store = stores.current()
    names = code_names()
    if request.method == "GET":
        return jsonify(memos=[memo_json(m, names) for m in listed(request.args)[0]])
    body = json_object()
    memo = store.add_memo(target_of(body.get("code"), body.get("response")), body.get("text"), auth.current_analyst())
    return jsonify(memo_json(memo, names)), 201


@bp.patch("/api/memos/<memo_id>")
@needs("coder")
def edit_memo_api(memo_id):
    """PATCH {"text"}: the memo as edited."""
    memo = stores.current().edit_memo(memo_id, json_object().get("text"), auth.current_analyst())
    return jsonify(memo_json(memo, code_names()))
