"""The team page and API: who holds which role, and an admin's grants (shared by the whole fleet)."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from collector import workspace
from collector.accounts import auth
from collector.accounts.roles import ROLES, needs
from collector.coding.api import json_object
from collector.common.error_pages import UserError
from collector.common.forms import RoleForm, acted

bp = Blueprint("team", __name__)
OWN_ROLE = "You cannot change your own role: ask another admin (so that the site never loses its last one)."


def members():
    """Everyone known, by name: the role their account gives, an admin's grant, and the role they hold."""
    configured = {name: account.role for name, account in auth.ANALYSTS.of().items()}
    granted = workspace.current().team()
    return [{"name": name, "configured": configured.get(name), "granted": granted.get(name),
             "role": granted.get(name) or configured.get(name)}
            for name in sorted(set(configured) | set(granted), key=str.casefold)]


def grant(name, role):
    """Give name the role (None or '': back to what their account or groups say)."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if not 1 <= len(name) <= 200:
        raise UserError("Give the person's name (up to 200 characters).")
    if role not in (*ROLES, None, ""):
        raise UserError(f"'role' is one of {', '.join(ROLES)}, or null for what their account or groups say.")
    if name == auth.current_analyst():
        raise UserError(OWN_ROLE, 409)
    workspace.current().grant_role(name, role or None, auth.current_analyst())


@bp.route("/team", methods=["GET", "POST"])
@needs("admin")
def page():
    """The team and a form to give someone a role."""
    form = RoleForm()
    done, status = acted(form, lambda: grant(form.name.data, form.role.data), form.name)
    if done:
        flash(f"{form.name.data} now holds the role {form.role.data or 'their account or groups give'}.")
        return redirect(url_for(".page"), 303)
    return render_template("analyst/team.html", form=form, members=members(), signs_in_here=auth.signs_in_here()), status


@bp.route("/api/team", methods=["GET", "POST"])
@needs("admin")
def api():
    """GET {"people": [{name, configured, granted, role}]}; POST {"name", "role"} grants (role null clears)."""
    if request.method == "POST":
        body = json_object()
        grant(body.get("name"), body.get("role"))
    return jsonify(people=members())
