"""The fleet's audit log for analysts: every export, erasure and coding change, newest first.

Read from the workspace (the domain for a fleet, so it outlives every instance), filterable by
action and analyst; entries name what kind and how many, never whose.
"""
from flask import Blueprint, jsonify, render_template, request

from collector import workspace
from collector.accounts.roles import needs

bp = Blueprint("audit", __name__)
FIELDS = ("at", "actor", "role", "action", "count", "scope", "status")
LIMIT = 500


def _filters():
    return {name: (request.args.get(name) or "").strip()[:100] or None for name in ("action", "actor")}


def _entries():
    return [{name: entry.get(name) for name in FIELDS} for entry in workspace.current().audit_entries(**_filters(),
                                                                                                   limit=LIMIT)]


@bp.get("/audit")
@needs("analyst")
def page():
    """The audit log as a table, with filters by action and analyst."""
    return render_template("analyst/audit.html", entries=_entries(), filters=_filters(), limit=LIMIT)


@bp.get("/api/audit")
@needs("analyst")
def entries():
    """The audit log as JSON: {"entries": [{at, actor, role, action, count, scope, status}]}, newest first."""
    return jsonify(entries=_entries())
