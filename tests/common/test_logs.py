"""Logs never hold what an analyst searched for, nor a receipt code or answer id."""
import logging
import urllib.request

from tests.serving import serving_app


def test_the_development_server_log_never_holds_an_analyst_query(app, caplog):
    with serving_app(app) as url, caplog.at_level(logging.INFO, logger="werkzeug"):
        urllib.request.urlopen(f"{url}/healthz?email=secret%40example.org").read()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("GET /healthz?…" in line for line in lines)
    assert not any("secret" in line for line in lines)


def test_gunicorn_error_lines_lose_their_query_strings_too(app):
    # as gunicorn/workers/base.py logs a request that failed
    record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, "Error handling request %s %s",
                               ("GET", "/analyst/export.csv?email=secret%40example.org"), None)
    assert all(f.filter(record) for f in logging.getLogger("gunicorn.error").filters)
    assert record.getMessage() == "Error handling request GET /analyst/export.csv?…"


def test_server_log_lines_lose_receipt_codes_and_answer_ids(app):
    """Issue 29: the request log showed receipt codes in /thanks/<receipt> paths."""
    lines = ["GET /thanks/abcdefghijklmnopqrstuvwxyz HTTP/1.1", "GET /analyst/responses/0f3c-4a?x=1 HTTP/1.1"]
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"%s" %s', (lines[0], "200"), None)
    failed = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, "Error handling request %s", (lines[1],),
                               None)
    for found in (record, failed):
        assert all(f.filter(found) for f in logging.getLogger(found.name).filters)
    assert record.getMessage() == '"GET /thanks/… HTTP/1.1" 200'
    assert failed.getMessage() == "Error handling request GET /analyst/responses/…?… HTTP/1.1"
