"""Every analyst request has a time budget: a query that would hold a worker for minutes ends,
after ANALYST_REQUEST_SECONDS, as a 503 that says so, and the worker goes on serving.

Only the request's own journal connection is limited: exports stream through a connection of
their own for as long as the answers take.
"""
import sqlite3

from flask import current_app, request
from werkzeug.exceptions import ServiceUnavailable

from collector import journal
from collector.common.error_pages import error_page
from collector.journal import connections

UNBOUNDED = {"analyst.export"}


def limit():
    """Before an analyst request: interrupt its journal queries once its time is up."""
    if request.endpoint not in UNBOUNDED:
        connections.time_limit(journal.get_db(), current_app.config["ANALYST_REQUEST_SECONDS"])


def over_budget(exc):
    """A query the time budget interrupted: 503 with what to do; any other database error stays a 500."""
    if "interrupted" not in str(exc):
        raise exc
    seconds = current_app.config["ANALYST_REQUEST_SECONDS"]
    return error_page(ServiceUnavailable(description=(
        f"This request needed more than {seconds:g} seconds, so it was stopped. Narrow it (pick a survey "
        "or a date range, or use fewer words) and try again.")))


def init_app(bp):
    """Give every request of the analyst blueprint (and those nested in it) the budget."""
    bp.before_request(limit)
    bp.register_error_handler(sqlite3.OperationalError, over_budget)
