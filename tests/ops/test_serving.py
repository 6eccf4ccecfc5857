"""Serving as Elastic Beanstalk does: gunicorn from the Procfile, the secret key, proxies, HTTPS, CSP, JSON logs."""
import json
import logging
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from collector import create_app
from opensearch.node import free_port
from tests.helpers import PASSWORD, search_env, store
from tests.processes import wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_procfile_gunicorn_serves_and_ships_pending_answers_on_sigterm(search_config, domain, tmp_path):
    command = (ROOT / "Procfile").read_text().split(":", 1)[1]
    argv = [sys.executable, "-m"] + shlex.split(command)
    port = free_port()
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "s" * 32, "PORT": str(port),
           "DATA_DIR": search_config["DATA_DIR"], **search_env(search_config), "SHIP_POLL_SECONDS": "3600",
           "GRACEFUL_TIMEOUT": "15", "AUTOCODE_SECONDS": "3600",
           # One worker whose shipper thread never starts: only the SIGTERM drain can ship the rows stored below.
           "WEB_CONCURRENCY": "1", "SHIPPER_AUTOSTART": "off"}
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=open(tmp_path / "out.log", "w"),
                              stderr=subprocess.STDOUT)
    try:
        status, health = wait_for(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and health["search"] == "ok"
        app = create_app(search_config)
        ids = {store(app, f"pending at shutdown {n}", state="pending") for n in range(50)}
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
    assert set(domain.docs()) == ids
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT count(*) FROM responses WHERE state = 'pending'").fetchone()[0] == 0
    output = (tmp_path / "out.log").read_text()
    drains = [json.loads(line) for line in output.splitlines() if '"shutdown drain"' in line]
    assert sum(d["shipped"] for d in drains) == 50


@pytest.mark.slow
def test_production_without_secret_key_refuses_to_start_with_a_readable_error(tmp_path):
    env = {**os.environ, "APP_ENV": "production", "DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-c", "import application"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("203.0.113.7, 10.0.0.5", "203.0.113.7"),  # client, ALB
        ("6.6.6.6, 203.0.113.7, 10.0.0.5", "203.0.113.7"),  # a forged first hop is ignored
        ("1.1.1.1, 2.2.2.2, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
    ],
)
def test_client_ip_is_the_address_the_trusted_proxies_saw(app_config, forwarded, expected):
    app = create_app(dict(app_config, PROXY_HOPS=2))
    response = app.test_client().post(
        "/", data={"essay": "behind the ALB", "email": "a@example.org"},
        headers={"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT client_ip FROM responses").fetchone()[0] == expected


def test_without_proxies_forwarded_headers_are_ignored(client, app):
    client.post("/", data={"essay": "direct", "email": "a@example.org"},
                headers={"X-Forwarded-For": "6.6.6.6"})
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT client_ip FROM responses").fetchone()[0] == "127.0.0.1"


def test_production_redirects_to_https_except_the_health_check(app_config):
    app = create_app(dict(app_config, APP_ENV="production", TESTING=False))
    client = app.test_client()
    page = client.get("/")
    assert page.status_code in (301, 302) and page.location.startswith("https://")
    assert client.get("/healthz").status_code == 200
    secure = client.post("/analyst/login", data={"name": "ada", "password": PASSWORD},
                         base_url="https://localhost")
    assert "max-age" in secure.headers["Strict-Transport-Security"]
    cookie = secure.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_every_page_sends_a_csp_without_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "<script>" not in response.get_data(as_text=True)


@pytest.fixture
def json_logs(capsys):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield capsys
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def test_json_logs_one_line_per_request_without_essay_or_email(app_config, json_logs):
    app = create_app(dict(app_config, LOG_FORMAT="json"))
    app.test_client().post("/", data={"essay": "very private words", "email": "secret@example.org"},
                           headers={"X-Request-Id": "abc123"})
    lines = [json.loads(line) for line in json_logs.readouterr().out.splitlines() if line.startswith("{")]
    (request,) = [line for line in lines if line["message"] == "request"]
    assert request["request_id"] == "abc123" and request["route"] == "/" and request["status"] == 303
    assert request["duration_ms"] >= 0
    text = json.dumps(lines)
    assert "very private" not in text and "secret@example.org" not in text


def test_make_run_serves_on_the_port_asked_for():
    """Issue 29: make run had port 5000 fixed."""
    planned = subprocess.run(["make", "-n", "-o", ".venv/bin/.installed", "run", "PORT=5050"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    assert "--port 5050" in planned and "--host 127.0.0.1" in planned
