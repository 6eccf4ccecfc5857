"""The fleet's audit log for analysts: every export, erasure and coding change, newest first.

Read from the workspace (the domain for a fleet, so it outlives every instance), filterable by
action and analyst; entries name what kind and how many, never whose.
"""
from flask import Blueprint, jsonify, render_template, request

from collector import workspace

bp = Blueprint("audit", __name__)
FIELDS = ("at", "actor", "action", "count", "scope", "status")
LIMIT = 500


def _filters():
    return {name: (request.args.get(name) or "").strip()[:100] or None for name in ("action", "actor")}


def _entries():
    return [{name: entry[name] for name in FIELDS} for entry in workspace.current().audit_entries(**_filters(),
                                                                                                   limit=LIMIT)]


@bp.get("/audit")
def page():
    """The audit log as a table, with filters by action and analyst."""
    return render_template("analyst/audit.html", entries=_entries(), filters=_filters(), limit=LIMIT)


@bp.get("/api/audit")
def entries():
    """The audit log as JSON: {"entries": [{at, actor, action, count, scope, status}]}, newest first."""
    return jsonify(entries=_entries())
