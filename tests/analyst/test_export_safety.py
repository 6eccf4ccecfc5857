"""Exports: formula-safe cells, and an audit row however the export ends."""
import csv
import io
import re
import signal
import sqlite3

import pytest
import requests

from collector import create_app
from tests.helpers import PASSWORD, store, wait_until
from tests.processes import gunicorn


@pytest.mark.parametrize("payload", ["\ufeff=1+1", "\u200b=HYPERLINK(\"http://evil.example\")", "＝1+1", "＋1",
                                     "＠SUM(A1)", "－2", " =1", "\u2060@x"])
def test_csv_neutralises_formula_starts_behind_invisible_or_full_width_characters(app, analyst, payload):
    store(app, payload, email="formula@example.org")
    response = analyst.get("/analyst/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["essay"] == "'" + payload
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def fill_journal(app, count):
    """count shipped answers written straight into the journal, fast."""
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    with db:
        db.executemany("INSERT INTO responses (id, essay, email, submitted_at, state) VALUES (?, ?, ?, ?, 'shipped')",
                       [(f"00000000-0000-4000-8000-{n:012d}", f"answer {n} " + "words " * 40, "a@example.org",
                         f"2026-01-01T00:00:00.{n:06d}+00:00") for n in range(count)])
    db.close()


@pytest.mark.slow
def test_an_export_cut_by_a_shutdown_still_leaves_its_audit_row(app_config, tmp_path):
    app = create_app(app_config)
    fill_journal(app, 30_000)
    server, url = gunicorn(app_config["DATA_DIR"], GRACEFUL_TIMEOUT="3", WEB_CONCURRENCY="1")
    try:
        browser = requests.Session()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          browser.get(f"{url}/analyst/login").text).group(1)
        browser.post(f"{url}/analyst/login", data={"name": "ada", "password": PASSWORD, "csrf_token": token})
        download = browser.get(f"{url}/analyst/export.csv", stream=True)
        download.raw.read(50_000)  # the analyst's download is under way, then the instance stops
        assert wait_until(lambda: export_audit(app) and export_audit(app)[0][1] > 0)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    finally:
        server.kill()
    create_app(app_config)  # a restart closes what a killed worker could not
    ((status, count),) = export_audit(app)
    assert status == "interrupted" and 0 < count < 30_000


def export_audit(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return db.execute("SELECT status, count FROM audit_log WHERE action = 'export.csv'").fetchall()


def test_exports_record_completed_and_cancelled(app, analyst):
    fill_journal(app, 1_000)
    analyst.get("/analyst/export.csv").get_data()
    stream = analyst.get("/analyst/export.csv", buffered=False)
    next(stream.response), next(stream.response)  # the header and one answer
    stream.close()  # the analyst cancels the download
    assert export_audit(app) == [("completed", 1_000), ("cancelled", 1)]
