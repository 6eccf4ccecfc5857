"""Structured JSON logs on stdout: one line per request, never essay text or emails."""
import logging
import re
import sys
import time
import uuid

from flask import g, request
from pythonjsonlogger.json import JsonFormatter

log = logging.getLogger("request")


def configure_json(level=logging.INFO):
    """Send every logger's records to stdout as one JSON object per line."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class RedactQueries(logging.Filter):
    """Cut query strings (emails, searches) and the receipt codes and answer ids in paths out of the
    servers' own log lines: a receipt is all a respondent needs to have an answer erased."""

    QUERY = re.compile(r"\?[^\s\"]*")
    SECRET_PATH = re.compile(r"(/thanks/|/responses/)[^\s\"/?]+")

    def filter(self, record):
        """Rewrite the record's arguments in place; never drop the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(self.redact(a) if isinstance(a, str) else a for a in record.args)
        return True

    def redact(self, text):
        """A log argument without its query string or its receipt and answer ids."""
        return self.SECRET_PATH.sub(r"\1…", self.QUERY.sub("?…", text))


def init_app(app):
    """Log each request once, with an id that is also returned as X-Request-Id."""
    if app.config["LOG_FORMAT"] == "json":
        configure_json()
    # make run's request lines, and gunicorn's "Error handling request /analyst/?email=..."
    for server_log in map(logging.getLogger, ("werkzeug", "gunicorn.error")):
        if not any(isinstance(f, RedactQueries) for f in server_log.filters):
            server_log.addFilter(RedactQueries())
    app.before_request(_start)
    app.after_request(_finish)


def _start():
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response):
    # The route pattern, never the path or query: those can hold receipts, ids and emails.
    log.info("request", extra={
        "request_id": g.request_id,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.started) * 1000, 2),
    })
    response.headers["X-Request-Id"] = g.request_id
    return response
