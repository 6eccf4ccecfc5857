"""Abuse limits: submission rate, login throttling, idle sessions, body size and encoding."""
import pytest

from collector import create_app
from tests.helpers import PASSWORD, log_in, submit


def test_the_answer_past_the_rate_limit_gets_429_and_keeps_its_text(app_config):
    client = create_app(dict(app_config, SUBMIT_RATE_LIMIT="3/minute")).test_client()
    assert [submit(client).status_code for _ in range(3)] == [303, 303, 303]
    response = submit(client, essay="The fourth answer, typed with care")
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "The fourth answer, typed with care" in page and "submit it again" in page
    assert client.get("/").status_code == 200  # reading the form is never limited


def test_the_rate_limit_is_per_client_address(app_config):
    client = create_app(dict(app_config, SUBMIT_RATE_LIMIT="1/minute")).test_client()
    assert submit(client).status_code == 303
    other = {"REMOTE_ADDR": "198.51.100.9"}
    assert client.post("/", data={"essay": "x", "email": "a@example.org"}, environ_base=other).status_code == 303
    assert submit(client).status_code == 429


def test_failed_logins_are_throttled_per_name_from_any_address(app_config):
    client = create_app(dict(app_config, LOGIN_RATE_LIMIT="3 per 15 minutes")).test_client()
    for n in range(3):
        address = {"REMOTE_ADDR": f"198.51.100.{n}"}
        assert client.post("/analyst/login", data={"name": "ada", "password": "guess"},
                           environ_base=address).status_code == 400
    for n in (1, 77):  # a guess from a new address: refused, and that address is now failing too
        guess = client.post("/analyst/login", data={"name": "ada", "password": "guess again"},
                            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
        assert guess.status_code == 429 and "Too many failed logins" in guess.get_data(as_text=True)
    blocked = client.post("/analyst/login", data={"name": "ada", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.77"})
    assert blocked.status_code == 429


def test_failed_logins_are_throttled_per_address_across_names(app_config):
    client = create_app(dict(app_config, LOGIN_RATE_LIMIT="3 per 15 minutes")).test_client()
    for name in ("ada", "bob", "cy"):
        client.post("/analyst/login", data={"name": name, "password": "guess"})
    assert client.post("/analyst/login", data={"name": "dee", "password": "x"}).status_code == 429


def test_successful_logins_do_not_count_against_the_throttle(app_config):
    client = create_app(dict(app_config, LOGIN_RATE_LIMIT="2 per 15 minutes")).test_client()
    for _ in range(4):
        assert client.post("/analyst/login", data={"name": "ada", "password": PASSWORD}).status_code == 303


def test_an_idle_analyst_session_ends(app_config, clock):
    client = create_app(dict(app_config, ANALYST_IDLE_MINUTES=30)).test_client()
    log_in(client)
    assert client.get("/analyst/").status_code == 200
    clock.advance(31 * 60)
    response = client.get("/analyst/", follow_redirects=True)
    assert "without activity" in response.get_data(as_text=True)
    assert client.get("/analyst/").status_code == 302


def test_login_starts_a_fresh_session(client):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session and session["analyst"] == "ada"


def test_an_oversized_body_gets_a_413_page(client):
    response = client.post("/", data={"essay": "x" * 300_000, "email": "a@example.org"})
    assert response.status_code == 413
    assert "Back button" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [b"essay=%FF%FE&email=a%40example.org", b"essay=\xff\xfe&email=a%40example.org"])
def test_invalid_utf8_is_refused_with_400_and_not_stored(client, analyst, body):
    response = client.post("/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
    assert analyst.get("/analyst/api/search").json["total"] == 0


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/xml"])
def test_a_post_that_is_not_a_form_gets_415(client, content_type):
    response = client.post("/", data=b'{"essay": "x"}', content_type=content_type)
    assert response.status_code == 415 and "web form" in response.get_data(as_text=True)
