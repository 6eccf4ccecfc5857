"""Analyst access: login, logout, and no page without a session."""
import re

import pytest
from werkzeug.security import generate_password_hash

from collector import create_app
from collector.accounts.auth import parse_analysts
from config import ConfigError
from tests.helpers import ANALYSTS, PASSWORD, store


def analyst_urls(app):
    """Every analyst URL the app serves, with sample values for its parameters."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/analyst/") and rule.endpoint != "analyst.login":
            url = rule.rule.replace("<doc_id>", "00000000-0000-4000-8000-000000000000")
            yield re.sub(r"<int:\w+>", "1", re.sub(r"<(\w+)>", "x", url)), rule.methods


def test_every_analyst_route_refuses_an_anonymous_request(app, client):
    urls = list(analyst_urls(app))
    assert len(urls) >= 4
    for url, methods in urls:
        method = next(m for m in ("POST", "GET", "PATCH", "DELETE") if m in methods).lower()
        response = getattr(client, method)(url)
        assert response.status_code in (302, 401), url
        if response.status_code == 302:
            assert response.location.startswith("/analyst/login")


def test_anonymous_api_gets_json_401(client):
    response = client.get("/analyst/api/search")
    assert response.status_code == 401 and "error" in response.json


@pytest.mark.parametrize(
    "name, password",
    [("ada", "wrong"), ("ada", ""), ("bob", PASSWORD), ("", PASSWORD), ("ada:", PASSWORD)],
)
def test_wrong_credentials_do_not_log_in(client, name, password):
    response = client.post("/analyst/login", data={"name": name, "password": password})
    assert response.status_code == 400
    assert client.get("/analyst/").status_code == 302


def test_login_returns_to_the_page_asked_for_and_only_on_this_site(client):
    asked = client.get("/analyst/?q=slow")
    assert asked.location == "/analyst/login?next=/analyst/?q%3Dslow"
    response = client.post(asked.location, data={"name": "ada", "password": PASSWORD})
    assert response.location == "/analyst/?q=slow"
    client.post("/analyst/logout")
    response = client.post(
        "/analyst/login?next=//evil.example/", data={"name": "ada", "password": PASSWORD}
    )
    assert response.location == "/analyst/"


def test_logout_ends_the_session(analyst):
    assert analyst.get("/analyst/").status_code == 200
    assert analyst.post("/analyst/logout").status_code == 303
    assert analyst.get("/analyst/").status_code == 302


def test_detail_page_of_an_unknown_answer_is_404(analyst):
    assert analyst.get("/analyst/responses/nope").status_code == 404


def test_detail_page_shows_the_whole_answer(app, analyst):
    doc_id = store(app, "Full text\nwith two lines", email="x@example.org")
    page = analyst.get(f"/analyst/responses/{doc_id}").get_data(as_text=True)
    assert "Full text\nwith two lines" in page and "x@example.org" in page


def test_analysts_setting_splits_each_pair_at_its_first_colon():
    real = generate_password_hash("pw")  # "scrypt:32768:8:1$salt$hash": colons inside
    assert parse_analysts(f" ada:{real} , bob:{real}") == {"ada": (real, "analyst"), "bob": (real, "analyst")}


@pytest.mark.parametrize("setting", ["ada", "ada:", ":hash", f"{ANALYSTS},bob"])
def test_a_malformed_analysts_setting_refuses_to_start(app_config, setting):
    with pytest.raises(ConfigError, match="is not name:hash"):
        create_app(dict(app_config, ANALYSTS=setting))


@pytest.mark.parametrize("hashed", ["pbkdf2:sha256:1000", "scrypt:32768:8:1$", "h", "md5$a$b"])
def test_a_hash_the_shell_cut_short_refuses_to_start_and_says_to_quote_it(app_config, hashed):
    """Issue 29: ANALYSTS=ada:scrypt:...$salt$hash without single quotes lost its $ parts silently."""
    with pytest.raises(ConfigError, match="single quotes"):
        create_app(dict(app_config, ANALYSTS=f"ada:{hashed}"))


def test_the_login_form_marks_name_and_password_required_not_optional(client):
    """Issue 29: both were labelled '(optional)'."""
    page = client.get("/analyst/login").get_data(as_text=True)
    assert "(optional)" not in page
    assert page.count('aria-required="true"') == 2
