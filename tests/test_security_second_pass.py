"""Regressions from the adversarial pass (issue 14): each test failed before its fix."""
import csv
import http.client
import io
import logging
import re
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
import requests
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from collector import auth, create_app, journal
from tests.helpers import PASSWORD, gunicorn, log_in, store, submit, wait_until


@pytest.mark.parametrize("target", [
    "/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example", "/\x0b/evil.example", "/\x00/x",
    "/\u200b/evil.example", "/\\evil.example", "/\\/evil.example", "//evil.example", "///evil.example",
    "https://evil.example/", "javascript:alert(1)", "evil.example", "/\r\nSet-Cookie: x=1",
])
def test_login_never_sends_an_analyst_off_the_site(client, target):
    response = client.post("/analyst/login", query_string={"next": target}, data={"name": "ada", "password": PASSWORD})
    assert response.status_code == 303 and response.location == "/analyst/"


@pytest.mark.parametrize("target", ["/analyst/?q=slow", "/analyst/responses/abc", "/analyst/?q=caf%C3%A9"])
def test_login_still_returns_to_a_page_on_this_site(client, target):
    response = client.post("/analyst/login", query_string={"next": target}, data={"name": "ada", "password": PASSWORD})
    assert response.location == target


def test_the_login_redirect_carries_no_empty_query(client):
    assert client.get("/analyst/").location == "/analyst/login?next=/analyst/"


def test_the_development_server_log_never_holds_an_analyst_query(app, caplog):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz?email=secret%40example.org").read()
    finally:
        server.shutdown()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("GET /healthz?…" in line for line in lines)
    assert not any("secret" in line for line in lines)


@pytest.mark.parametrize("payload", ["\ufeff=1+1", "\u200b=HYPERLINK(\"http://evil.example\")", "＝1+1", "＋1",
                                     "＠SUM(A1)", "－2", " =1", "\u2060@x"])
def test_csv_neutralises_formula_starts_behind_invisible_or_full_width_characters(app, analyst, payload):
    store(app, payload, email="formula@example.org")
    response = analyst.get("/analyst/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["essay"] == "'" + payload
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", "\ufeff", " \u2060 \u00ad ", "\u3164", "\u200e\u200f"])
def test_an_answer_of_only_invisible_characters_is_refused(app_config, client, invisible):
    response = submit(client, essay=invisible)
    assert response.status_code == 400 and "Please write your answer." in response.get_data(as_text=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs for DATA_DIR, unmounted afterwards (skips where mounting is not allowed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def test_health_turns_503_when_the_disk_is_full_and_back_to_200_when_it_is_not(app_config, small_disk):
    app = create_app(dict(app_config, DATA_DIR=str(small_disk / "data"), HEALTH_MIN_FREE_MB=1))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200 and submit(client).status_code == 303
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as f:  # fill the disk to the last byte (unbuffered: close never writes)
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["status"] == "unavailable"
    refused = submit(client, essay="Written while the disk was full.")
    assert refused.status_code == 503 and "Written while the disk was full." in refused.get_data(as_text=True)
    filler.unlink()
    assert client.get("/healthz").status_code == 200


def test_health_turns_503_when_the_journal_is_read_only(app_config, small_disk):
    app = create_app(dict(app_config, DATA_DIR=str(small_disk / "data"), HEALTH_MIN_FREE_MB=1))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    journal.close_connections(app)  # a kernel remounting on errors would not wait for them
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert client.get("/healthz").status_code == 503
    assert submit(client).status_code == 503


def copy_of(client, app):
    """Another browser holding a copy of client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_logout_ends_every_copy_of_the_session_cookie(app, analyst):
    thief = copy_of(analyst, app)
    assert thief.get("/analyst/api/search").status_code == 200
    analyst.post("/analyst/logout")
    assert thief.get("/analyst/api/search").status_code == 401
    assert thief.get("/analyst/export.csv").status_code == 302


@pytest.mark.parametrize("change", ["password changed", "analyst removed"])
def test_changing_a_password_or_removing_an_analyst_ends_their_sessions(app_config, change):
    client = create_app(app_config).test_client()
    log_in(client)
    other = "ada:" + generate_password_hash("a new passphrase", method="pbkdf2:sha256:1000")
    analysts = other if change == "password changed" else "bob:" + other.split(":", 1)[1]
    later = create_app(dict(app_config, ANALYSTS=analysts))
    assert copy_of(client, later).get("/analyst/api/search").status_code == 401


def test_a_session_lasts_hours_not_a_month(app_config, monkeypatch):
    app = create_app(dict(app_config, ANALYST_IDLE_MINUTES=24 * 60))
    client = app.test_client()
    cookie = log_in(client).headers["Set-Cookie"]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert timedelta(hours=7) < expires - datetime.now(timezone.utc) <= timedelta(hours=8, minutes=1)
    start = time.time()
    for hours in (3, 6, 9):  # active all along, yet over after 8 hours
        monkeypatch.setattr(auth.time, "time", lambda h=hours: start + h * 3600)
        status = client.get("/analyst/api/search").status_code
    assert status == 401


def multipart(*parts, boundary="XX"):
    """A multipart/form-data body from (name, bytes) parts; a third item makes it a file part."""
    chunks = []
    for name, value, *filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename[0]}"' if filename else "")
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("parts", [
    [("essay", b"an essay as a file", "essay.txt"), ("email", b"a@example.org")],
    [("essay", b"text"), ("email", b"a@example.org"), ("attachment", b"\x89PNG", "x.png")],
])
def test_a_file_in_a_form_is_a_readable_400_not_a_500(app, client, parts):
    body, content_type = multipart(*parts)
    response = client.post("/", data=body, content_type=content_type)
    assert response.status_code == 400 and "text only" in response.get_data(as_text=True)
    assert stored_essays(app) == []


@pytest.mark.parametrize("value", [b"bad \xff\xfe utf8", b"caf\xe9", b"\xc3"])
def test_invalid_utf8_inside_multipart_is_refused_not_replaced(app, client, value):
    body, content_type = multipart(("essay", value), ("email", b"a@example.org"))
    response = client.post("/", data=body, content_type=content_type)
    assert response.status_code == 400 and "not valid UTF-8" in response.get_data(as_text=True)
    assert stored_essays(app) == []


def test_valid_multipart_text_is_accepted_including_a_real_replacement_character(app, client):
    body, content_type = multipart(("essay", "naïve \ufffd kept".encode()), ("email", b"a@example.org"))
    assert client.post("/", data=body, content_type=content_type).status_code == 303
    assert stored_essays(app) == ["naïve \ufffd kept"]


@pytest.mark.parametrize("size, status", [(300_000, 413), (200_000, 303)])
def test_a_chunked_body_is_never_cut_over_the_limit_it_is_a_413(app, size, status):
    body = b"essay=" + b"long+answer+" * 500 + b"&email=a%40example.org&padding="
    body += b"p" * (size - len(body))  # a field the form ignores makes up the size
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        chunks = (body[n:n + 8192] for n in range(0, len(body), 8192))  # no Content-Length: chunked
        connection.request("POST", "/", body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        server.shutdown()
    assert response.status == status
    if status == 413:
        assert "your text is still there" in page and stored_essays(app) == []


def stored_essays(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return [row[0] for row in db.execute("SELECT essay FROM responses")]


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


def test_the_submit_limit_holds_for_the_whole_instance_not_per_worker(tmp_path):
    server, url = gunicorn(tmp_path / "data", WEB_CONCURRENCY="2", SUBMIT_RATE_LIMIT="5/minute")
    try:
        browser = requests.Session()
        browser.headers["Connection"] = "close"  # a new connection each time: either worker may answer
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', browser.get(url + "/").text).group(1)
        codes = [browser.post(url + "/", data={"essay": f"answer {n}", "email": "a@example.org", "csrf_token": token},
                              allow_redirects=False).status_code for n in range(16)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert codes.count(303) == 5 and codes.count(429) == 11


def test_rejected_posts_do_not_use_up_the_submit_limit(app_config):
    client = create_app(dict(app_config, SUBMIT_RATE_LIMIT="3/minute")).test_client()
    for _ in range(5):
        assert submit(client, email="not an email").status_code == 400
    assert [submit(client, essay=f"answer {n}").status_code for n in range(4)] == [303, 303, 303, 429]


def test_failing_on_a_name_does_not_lock_its_analyst_out(app_config):
    client = create_app(dict(app_config, LOGIN_RATE_LIMIT="3 per 15 minutes")).test_client()
    for n in range(5):  # someone else fails on ada's name from several addresses
        client.post("/analyst/login", data={"name": "ada", "password": "guess"},
                    environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
    ada = client.post("/analyst/login", data={"name": "ada", "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert ada.status_code == 303


def test_gunicorn_error_lines_lose_their_query_strings_too(app):
    # as gunicorn/workers/base.py logs a request that failed
    record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, "Error handling request %s %s",
                               ("GET", "/analyst/export.csv?email=secret%40example.org"), None)
    assert all(f.filter(record) for f in logging.getLogger("gunicorn.error").filters)
    assert record.getMessage() == "Error handling request GET /analyst/export.csv?…"


@pytest.mark.parametrize("path", ["/analyst/", "/analyst/api/search", "/analyst/export.csv", "/analyst/login"])
def test_no_analyst_page_may_be_kept_in_a_browser_cache(analyst, path):
    assert analyst.get(path).headers["Cache-Control"] == "no-store"
