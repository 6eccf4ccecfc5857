"""Analyst sessions: where login sends you, and when a session ends (each test failed before its fix)."""
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from werkzeug.security import generate_password_hash

from collector import create_app
from tests.helpers import PASSWORD, log_in


def copy_of(client, app):
    """Another browser holding a copy of client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


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


def test_a_session_lasts_hours_not_a_month(app_config, clock):
    app = create_app(dict(app_config, ANALYST_IDLE_MINUTES=24 * 60))
    client = app.test_client()
    cookie = log_in(client).headers["Set-Cookie"]
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert timedelta(hours=7) < expires - datetime.now(timezone.utc) <= timedelta(hours=8, minutes=1)
    for _ in (3, 6, 9):  # hours: active all along, yet over after 8
        clock.advance(3 * 3600)
        status = client.get("/analyst/api/search").status_code
    assert status == 401


def test_failing_on_a_name_does_not_lock_its_analyst_out(app_config):
    client = create_app(dict(app_config, LOGIN_RATE_LIMIT="3 per 15 minutes")).test_client()
    for n in range(5):  # someone else fails on ada's name from several addresses
        client.post("/analyst/login", data={"name": "ada", "password": "guess"},
                    environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
    ada = client.post("/analyst/login", data={"name": "ada", "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert ada.status_code == 303


@pytest.mark.parametrize("path", ["/analyst/", "/analyst/api/search", "/analyst/export.csv", "/analyst/login"])
def test_no_analyst_page_may_be_kept_in_a_browser_cache(analyst, path):
    assert analyst.get(path).headers["Cache-Control"] == "no-store"
