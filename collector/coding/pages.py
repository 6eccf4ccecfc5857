"""Analyst pages for coding: the codebook, codes on one answer, bulk coding with undo."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import keys, saved, stores, tree
from collector.coding.api import existing_answer, mark_spam
from collector.coding.forms import AnswerCodeForm, ApplyForm, CodeForm
from collector.common import links
from collector.common.error_pages import UserError
from collector.common.forms import acted
from collector.search import engines
from collector.search.params import query_of

bp = Blueprint("coding", __name__)


def code_choices():
    """(name, how it reads) for every code in tree order, a code under another indented, for select fields."""
    return [(row["name"], "\u00a0" * 3 * row["depth"] + row["name"]) for row in stores.current().codebook()]


@bp.route("/codes", methods=["GET", "POST"])
@needs("viewer", POST="analyst")
def codes():
    """The codebook: every code with its answers, a form to add one, and recent bulk codings."""
    form = CodeForm()
    done, result = acted(form, lambda: _create_code(form), form.name)
    if done:
        flash(f"Code '{result['name']}' added.")
        return redirect(url_for(".codes"), 303)
    return _codebook_page(form, result)


def _create_code(form):
    store = stores.current()
    parent = request.form.get("parent")
    return store.create_code(form.name.data, form.description.data, auth.current_analyst(),
                             store.code_named(parent) if parent else None)


def later():
    """What an analyst must know where the domain makes writes searchable only later (Serverless)."""
    seconds = stores.current().looks_again_after()
    return f" Answers coded in the last {seconds:g} s are changed too once searchable, in {seconds:g} s." if seconds else ""


def _codebook_page(form, status=200):
    store = stores.current()
    codebook = store.codebook()
    parents = {row["id"]: row["parent"] for row in codebook}
    families = {code_id: set(tree.family(parents, code_id)) for code_id in parents}  # not a code's new parent
    return render_template("analyst/codes.html", form=form, codebook=codebook, families=families,
                           batches=store.latest_batches(), coding_keys=keys.KEYS,
                           held_keys={code["key"] for code in codebook if code["key"]}), status


@bp.post("/codes/<code_id>/edit")
@needs("analyst")
def edit_code(code_id):
    """Rename or describe a code; its answers keep it."""
    form = CodeForm()
    try:
        if not form.validate_on_submit():
            raise UserError("; ".join(e for errors in form.errors.values() for e in errors))
        store = stores.current()
        code = stores.code_or_404(code_id)
        code = store.edit_code(code, form.name.data, form.description.data or "", auth.current_analyst())
        store.define_code(code, form.definition.data, form.exclusion.data, None, auth.current_analyst())
    except UserError as exc:  # back on the codebook, in the analyst's layout, saying what to change
        flash(f"The code was not saved: {exc}")
        return _codebook_page(CodeForm(formdata=None), exc.status)
    flash(f"Code '{code['name']}' saved.")
    return redirect(url_for(".codes"), 303)


@bp.route("/codes/<code_id>/delete", methods=["GET", "POST"])
@needs("admin")
def delete_code(code_id):
    """Say what deleting a code takes with it (answers, saved searches); delete it once confirmed."""
    store = stores.current()
    code = stores.code_or_404(code_id)
    if request.method == "POST" and request.form.get("confirm") == "yes":
        count = store.delete_code(code, auth.current_analyst())
        flash(f"Code '{code['name']}' deleted; {count} answer(s) had it.{later()}")
        return redirect(url_for(".codes"), 303)
    answers = next((row["answers"] for row in store.codebook() if str(row["id"]) == str(code["id"])), 0)
    searches = store.listing()
    filtering = [row for row in searches if code["name"] in (v.lstrip("-") for k, v in saved.pairs(row) if k == "code")]
    return render_template("analyst/delete_code.html", code=code, answers=answers, filtering=filtering,
                           coding_searches=[row for row in searches if row["code"] == code["name"]])


@bp.post("/codes/<code_id>/merge")
@needs("admin")
def merge_code(code_id):
    """Merge a code into another chosen on the codebook page; the page then offers to undo it."""
    store = stores.current()
    source = stores.code_or_404(code_id)
    merge_id, answers = store.merge(source, store.code_named(request.form.get("into") or ""), auth.current_analyst())
    flash(f"Code '{source['name']}' merged into '{request.form['into']}': {answers} answer(s) moved.{later()}")
    return redirect(url_for(".codes", merged=merge_id), 303)


@bp.post("/split")
@needs("analyst")
def split_code():
    """From a search filtered by one code: move those answers' coding to a new code (then offer to undo it)."""
    store = stores.current()
    codes = [c for c in request.args.getlist("code") if not c.startswith("-")]
    if len(codes) != 1:
        raise UserError("Filter the search by the one code to split (code=…), then split it.")
    source = store.code_named(codes[0])
    split_id, answers = store.split(source, request.form.get("name"), list(engines.current().ids(query_of(request.args))),
                                    auth.current_analyst())
    flash(f"{answers} answer(s) moved from '{source['name']}' to '{request.form['name']}'.")
    return redirect(url_for(".codes", split=split_id), 303)


@bp.post("/splits/<split_id>/undo")
@needs("analyst")
def undo_split(split_id):
    """Take a split back from the codebook page."""
    answers = stores.current().undo_split(split_id, auth.current_analyst())
    flash(f"Split undone: {answers} answer(s) have their code again.")
    return redirect(url_for(".codes"), 303)


@bp.post("/merges/<merge_id>/undo")
@needs("admin")
def undo_merge(merge_id):
    """Take a merge back from the codebook page."""
    answers = stores.current().undo_merge(merge_id, auth.current_analyst())
    flash(f"Merge undone: {answers} answer(s) have the code again.")
    return redirect(url_for(".codes"), 303)


@bp.post("/responses/<doc_id>/codes")
@needs("coder")
def answer_codes(doc_id):
    """Add a code to one answer or take one off, then back to the answer."""
    form = AnswerCodeForm()  # CSRFProtect has checked the token already
    existing_answer(doc_id)
    add = [form.add.data] if form.add.data else []
    remove = [form.remove.data] if form.remove.data else []
    stores.current().change_codes(doc_id, add, remove, auth.current_analyst())
    return redirect(url_for("analyst.response", doc_id=doc_id, back=request.args.get("back")), 303)


@bp.post("/responses/<doc_id>/spam")
@needs("coder")
def spam_verdict(doc_id):
    """Mark an answer as spam or as not spam by hand, then back to where the analyst was."""
    is_spam = mark_spam(doc_id, request.form.get("verdict") == "spam")
    flash("Marked as spam: searches that leave spam out skip it." if is_spam else "Marked as not spam.")
    return redirect(links.safe_back(request.form.get("next")), 303)


@bp.route("/apply", methods=["GET", "POST"])
@needs("analyst")
def apply():
    """Bulk coding: say how many answers match, then code them all once confirmed."""
    store = stores.current()
    form = ApplyForm()
    codes = code_choices()
    form.code.choices = [("", "Choose a code…")] + codes  # never one chosen for the analyst
    query = query_of(request.args)
    if form.validate_on_submit() and form.confirm.data == "yes" and (form.code.data or form.new_code.data):
        code = _chosen(store, form)
        ids = list(engines.current().ids(query))
        _, applied = store.apply(code, ids, auth.current_analyst(), list(request.args.items(multi=True)))
        flash(f"Code '{code['name']}' given to {applied} more answer(s) of the {len(ids)} matching. "
              "You can undo it under Codes.")
        return redirect(links.search_url(), 303)
    if request.method == "POST" and not form.errors:
        form.code.errors = ["Choose the code to give them, or name a new one."]
    total = engines.current().search(query).total
    searched = [(name, value) for name, value in request.args.items(multi=True) if name not in ("page", "sort")]
    status = 400 if request.method == "POST" else 200
    return render_template("analyst/apply.html", form=form, total=total, searched=searched), status


def _chosen(store, form):
    """The code the bulk coding gives: a new one made now (by the name typed), else the one chosen."""
    if form.new_code.data and form.new_code.data.strip():
        return store.create_code(form.new_code.data, "", auth.current_analyst())
    return store.code_named(form.code.data)


@bp.post("/batches/<batch_id>/undo")
@needs("analyst")
def undo(batch_id):
    """Take back a bulk coding."""
    count = stores.current().undo(batch_id, auth.current_analyst())
    flash(f"Undone: {count} answer(s) lost the code again.")
    return redirect(url_for(".codes"), 303)
