"""Coding at the speed of reading: one matching answer at a time with the codebook beside it, and
the checked answers of a results page coded as one batch.

The position, the words and the filters stay in the URL, so the view can be bookmarked or shared.
With JavaScript (static/coding.js) a key applies a code through the JSON API, with no reload;
without it each code is a small CSRF-checked form and next and previous are links.
"""
from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import stores
from collector.coding.api import existing_answer
from collector.common import links
from collector.common.error_pages import UserError
from collector.search import engines
from collector.search.params import query_of

bp = Blueprint("one_by_one", __name__)
VIEW_ARGS = ("at", "id", "step", "page", "per_page")
LAST = 10_000  # the deepest position a search engine pages to (OpenSearch's max_result_window)
CHECKED_MAX = 100


def _query():
    """The search the view walks through (the request's arguments without the view's own)."""
    return query_of(MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in VIEW_ARGS]))


def _hit_at(query, at):
    """(matches in all, the hit at position `at`, 1-based, or None)."""
    page = engines.current().search(replace(query, page=at, per_page=1))
    return page.total, (page.hits[0] if page.hits else None)


def locate(query, at, doc_id, step):
    """(position, matches, answer, whether it still matches): the answer to show. Stepping on from an
    answer that a code took out of the search shows the one that moved into its place."""
    total, hit = _hit_at(query, at)
    if step == "next" and hit and hit.doc.meta.id == doc_id:
        at = min(at + 1, LAST)
        total, hit = _hit_at(query, at)
    elif step != "next" and doc_id and (hit is None or hit.doc.meta.id != doc_id):
        doc = engines.current().get(doc_id)  # coded out of the search just now: still shown, said so
        if doc is not None:
            return at, total, doc, False
    return at, total, hit and hit.doc, True


def _position():
    try:
        return min(max(1, int(request.args.get("at", "1"))), LAST)
    except ValueError:
        raise UserError("'at' must be a position in the results: 1, 2, 3…") from None


@bp.get("/code")
@needs("coder")
def view():
    """One matching answer, its codes, and a key per code."""
    at, total, doc, matching = locate(_query(), _position(), request.args.get("id"), request.args.get("step"))
    store = stores.current()
    has = set(store.codes_for([doc.meta.id]).get(doc.meta.id, [])) if doc else set()
    codes = [dict(code, on=code["name"] in has) for code in store.codebook()]  # its key and definition too
    return render_template("analyst/code_one.html", doc=doc, at=at, total=total, matching=matching, codes=codes,
                           view_args=VIEW_ARGS)


@bp.post("/code/toggle")
@needs("coder")
def toggle():
    """Without JavaScript: give the answer the code, or take it off, then back to the same answer."""
    doc_id = request.args.get("id", "")
    existing_answer(doc_id)
    store = stores.current()
    code = store.code_named(request.form.get("code", ""))
    on = code["name"] in store.codes_for([doc_id]).get(doc_id, [])
    store.change_codes(doc_id, [] if on else [code["name"]], [code["name"]] if on else [], auth.current_analyst())
    return redirect(links.search_url("analyst.one_by_one.view", drop=("page", "step")), 303)


@bp.post("/apply-checked")
@needs("analyst")
def apply_checked():
    """The answers ticked on a results page get one code, as one batch that can be undone."""
    ids = list(dict.fromkeys(request.form.getlist("id")))
    name = request.form.get("code")
    store = stores.current()
    if not ids or len(ids) > CHECKED_MAX:
        raise UserError(f"Tick between 1 and {CHECKED_MAX} answers to code, then choose the code.")
    if not name:
        raise UserError("Choose the code to give the ticked answers.")
    code = store.code_named(name)
    for doc_id in ids:
        existing_answer(doc_id)
    _, applied = store.apply(code, ids, auth.current_analyst(), [("checked", str(len(ids)))])
    flash(f"Code '{code['name']}' given to {applied} more of the {len(ids)} ticked answer(s). "
          "You can undo it under Codes.")
    return redirect(links.search_url(), 303)
