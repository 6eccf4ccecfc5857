"""Themes of a search, as a page (with "make this a code") and as JSON."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from collector import meaning
from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import stores
from collector.coding.saved import params_of
from collector.common import lazy
from collector.common.error_pages import UserError
from collector.search import engines
from collector.search.params import query_of

bp = Blueprint("themes", __name__)
themes = lazy.module("collector.suggestions.themes")  # scikit-learn, loaded by the first grouping


def _bounded(name, default, low, high):
    value = request.args.get(name, str(default))
    if not value.isdigit() or not low <= int(value) <= high:
        raise UserError(f"'{name}' must be a whole number from {low} to {high}.")
    return int(value)


def asked():
    """(themes, k, seed) for the request's search, k, seed and way (by=words|meaning)."""
    k = _bounded("k", 8, 2, themes.K_MAX)
    seed = _bounded("seed", 1, 0, 2**31 - 1)
    by = request.args.get("by", "words")
    if by not in themes.WAYS:
        raise UserError("'by' is words (shared words) or meaning (what the answers say, in any words).")
    return themes.of_search(query_of(request.args), k, seed, by), k, seed


@bp.get("/api/themes")
@needs("viewer")
def themes_api():
    """{"themes": [{"terms", "size", "examples"}] largest first, and what they were found in} for the search."""
    return jsonify(asked()[0].as_json())


@bp.get("/themes")
@needs("viewer")
def page():
    """The search's themes, each with its terms, size, three typical answers and a form to make it a code."""
    grouping, k, seed = asked()
    examples = {i: engines.current().get(i) for theme in grouping.themes for i in theme.ids[:themes.EXAMPLES]}
    return render_template("analyst/themes.html", themes=grouping.themes, grouping=grouping, limits=themes,
                           k=k, seed=seed, examples=examples, searched=params_of(request.args),
                           meaning_available=meaning.available())


@bp.post("/themes/code")
@needs("analyst")
def make_code():
    """Make one theme a code: a new code given to the theme's answers as one bulk coding (undo under Codes)."""
    found = asked()[0].themes
    number = request.form.get("theme", "")
    if not number.isdigit() or int(number) >= len(found):
        raise UserError("That theme is gone: the answers changed since the page was made. Look at the themes again.")
    store = stores.current()
    actor = auth.current_analyst()
    theme = found[int(number)]
    code = store.create_code(request.form.get("name") or " ".join(theme.terms[:3]), "", actor)
    store.define_code(code, "Made from the theme: " + ", ".join(theme.terms), "", None, actor)
    _, applied = store.apply(code, theme.ids, actor, params_of(request.args))
    flash(f"Code '{code['name']}' given to {applied} answer(s) of the theme. You can undo it under Codes.")
    return redirect(url_for("analyst.coding.codes"), 303)
