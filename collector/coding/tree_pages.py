"""Analyst pages for the codebook's tree and definitions: moving a code (and moving it back),
keeping an answer as one of a code's examples, a code's coding key, and the codebook as a file to download."""
from flask import Blueprint, Response, flash, redirect, request, url_for

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import codebook_file, codebook_qdc, stores
from collector.coding.api import existing_answer
from collector.common import links
from collector.common.error_pages import UserError

bp = Blueprint("codebook_pages", __name__)


@bp.post("/codes/<code_id>/move")
@needs("analyst")
def move_code(code_id):
    """Put a code under another (or at the top level); the codebook then offers to move it back."""
    store = stores.current()
    code = stores.code_or_404(code_id)
    name = (request.form.get("parent") or "").strip()
    parent = store.code_named(name) if name else None
    was = store.move_code(code, parent, auth.current_analyst())
    place = f"under '{parent['name']}'" if parent else "at the top level"
    if request.form.get("undo"):
        flash(f"Move undone: '{code['name']}' is back {place}.")
        return redirect(url_for("analyst.coding.codes"), 303)
    flash(f"'{code['name']}' now sits {place}.")
    return redirect(url_for("analyst.coding.codes", moved=code["id"], was=was or ""), 303)


@bp.post("/codes/<code_id>/examples")
@needs("analyst")
def code_example(code_id):
    """Keep an answer as an example of a code (action=add), or no longer (action=remove); then back."""
    store = stores.current()
    code = stores.code_or_404(code_id)
    answer = request.form.get("answer") or ""
    existing_answer(answer)
    examples = [e for e in code.get("examples") or [] if e != answer]
    examples += [answer] if request.form.get("action") == "add" else []
    store.define_code(code, code["definition"], code["exclusion"], examples, auth.current_analyst())
    flash(f"Kept as an example of '{code['name']}'." if answer in examples else
          f"No longer an example of '{code['name']}'.")
    return redirect(links.safe_back(request.form.get("next")), 303)


@bp.post("/codes/<code_id>/key")
@needs("analyst")
def code_key(code_id):
    """Give a code the coding key the analyst chose (or none); it keeps it whatever codes come after."""
    code = stores.code_or_404(code_id)
    key = stores.current().set_key(code, request.form.get("key"), auth.current_analyst())
    flash(f"'{code['name']}' is coded with the key {key}." if key else f"'{code['name']}' has no coding key now.")
    return redirect(url_for("analyst.coding.codes"), 303)


FILES = {"yaml": (codebook_file.dump, "application/yaml"), "qdc": (codebook_qdc.dump_qdc, "application/xml")}


@bp.get("/codebook.<fmt>")
@needs("viewer")
def codebook_download(fmt):
    """The codebook as YAML (codebook.yaml) or as a REFI-QDA codebook (codebook.qdc), as a download."""
    if fmt not in FILES:
        raise UserError("The codebook downloads as codebook.yaml or codebook.qdc.", 404)
    write, mimetype = FILES[fmt]
    return Response(write(stores.current().codebook()), mimetype=f"{mimetype}; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=codebook.{fmt}"})
