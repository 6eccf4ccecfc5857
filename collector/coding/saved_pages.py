"""Analyst pages for saved searches: save the current search, list, run and delete them."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import saved, stores
from collector.coding.forms import SaveSearchForm
from collector.coding.pages import code_choices

bp = Blueprint("saved", __name__, url_prefix="/saved")


@bp.route("", methods=["GET", "POST"])
@needs("analyst")
def listing():
    """Every saved search; POST saves the search whose parameters are in the query string."""
    store = stores.current()
    form = SaveSearchForm()
    form.code.choices = [("", "No code")] + code_choices()
    if form.validate_on_submit():
        row = store.save(form.name.data, saved.params_of(request.args), form.code.data or None,
                         auth.current_analyst())
        flash(f"Search saved as '{row['name']}'."
              + (" New answers that match it get its code." if form.code.data else ""))
        return redirect(url_for(".listing"), 303)
    status = 400 if request.method == "POST" else 200
    rows = [(row, saved.described(row)) for row in store.listing()]
    return render_template("analyst/saved.html", form=form, rows=rows), status


@bp.get("/<saved_id>")
@needs("analyst")
def run(saved_id):
    """Run a saved search: the search page with its parameters."""
    row = stores.current().find(saved_id)
    return redirect(url_for("analyst.index") + "?" + saved.link(row), 303)


@bp.post("/<saved_id>/delete")
@needs("analyst")
def delete(saved_id):
    """Forget a saved search; the codes it gave stay on their answers."""
    stores.current().delete(saved_id, auth.current_analyst())
    flash("Saved search deleted.")
    return redirect(url_for(".listing"), 303)
