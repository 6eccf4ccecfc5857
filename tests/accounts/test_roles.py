"""Issue 43: four roles, each a superset of the one before; every route declares the least it needs."""
import io
import re

import openpyxl
import pytest
from flask import Flask

from collector.accounts import access, roles
from collector.accounts.auth import parse_analysts
from config import ConfigError
from tests.helpers import PEOPLE, log_in, store

EMAIL = "someone@example.org"
ROLE_NAMES = {role: next(name for name, held in PEOPLE.items() if held == role) for role in roles.ROLES}
SAMPLE = "00000000-0000-4000-8000-000000000000"


def signed_in(app, role):
    """A client of app signed in as the person holding role."""
    client = app.test_client()
    log_in(client, ROLE_NAMES[role])
    return client


def xlsx_text(data):
    """Every cell of an XLSX download, as one string."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)


def calls(app):
    """(method, url, role it needs) of every analyst route but logging in and out."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/analyst/") or rule.endpoint in ("analyst.login", "analyst.logout"):
            continue
        url = re.sub(r"<(?:path:)?(\w+)>", lambda m: SAMPLE if m[1] == "doc_id" else "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url, roles.required(app.view_functions[rule.endpoint], method)


def test_every_route_declares_who_may_call_it(app):
    assert roles.undeclared(app) == []
    assert {wanted for _, _, wanted in calls(app)} == set(roles.ROLES)


def test_an_app_with_a_route_that_declares_nobody_refuses_to_start():
    bare = Flask(__name__)
    bare.add_url_rule("/open", "open", lambda: "anyone?")
    with pytest.raises(RuntimeError, match="open"):
        access.init_app(bare)


@pytest.mark.slow
@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_is_refused_exactly_the_routes_above_it_with_a_403_naming_the_role(app, role):
    client = signed_in(app, role)
    for method, url, wanted in calls(app):
        response = client.open(url, method=method)
        text = response.get_data(as_text=True)
        if roles.allows(role, wanted):
            assert "role; you are signed in as" not in text, (method, url)
        else:
            assert response.status_code == 403, (method, url)
            assert f"This needs the {wanted} role" in (response.json["error"] if "/api/" in url else text)


@pytest.mark.parametrize("setting, role", [(":viewer", "viewer"), (":admin", "admin"), ("", "analyst")])
def test_an_analysts_entry_may_end_with_a_role_and_is_an_analyst_without_one(setting, role):
    hashed = "pbkdf2:sha256:1000$salt$abc"
    assert parse_analysts(f"ada:{hashed}{setting}") == {"ada": (hashed, role)}


def test_a_role_that_is_not_one_of_the_four_refuses_to_start():
    with pytest.raises(ConfigError, match="'owner' is not a role; the roles are viewer, coder, analyst, admin"):
        parse_analysts("ada:pbkdf2:sha256:1000$salt$abc:owner")


def test_a_viewer_sees_answers_but_never_an_email_address(app):
    doc_id = store(app, "The night shift needs a second nurse", email=EMAIL)
    viewer = signed_in(app, "viewer")
    for url in ("/analyst/?q=nurse", f"/analyst/responses/{doc_id}", "/analyst/api/search?q=nurse",
                "/analyst/export.csv", "/analyst/export.ndjson?client=1", "/analyst/export.xlsx"):
        page = viewer.get(url)
        text = page.get_data(as_text=True) if not url.endswith("xlsx") else xlsx_text(page.data)
        assert page.status_code == 200 and "nurse" in text, url
        assert "someone" not in text and "127.0.0.1" not in text, url
    assert "email" not in viewer.get("/analyst/api/search").json["hits"][0]
    audited = signed_in(app, "admin").get("/analyst/api/audit?action=export.xlsx").json["entries"]
    assert [(entry["role"], entry["scope"]) for entry in audited] == [("viewer", "all,no emails")]
    refused = viewer.get("/analyst/api/search?email=@example.org")
    assert refused.status_code == 403 and "needs the analyst role" in refused.json["error"]


def test_an_analyst_sees_the_email_addresses_a_viewer_does_not(app):
    doc_id = store(app, "The night shift needs a second nurse", email=EMAIL)
    analyst = signed_in(app, "analyst")
    for url in ("/analyst/?q=nurse", f"/analyst/responses/{doc_id}", "/analyst/api/search", "/analyst/export.csv",
                f"/analyst/api/search?email={EMAIL}"):
        assert EMAIL in analyst.get(url).get_data(as_text=True), url


def test_the_page_shows_who_is_signed_in_with_which_role_and_only_the_links_they_may_follow(app):
    viewer = signed_in(app, "viewer").get("/analyst/").get_data(as_text=True)
    admin = signed_in(app, "admin").get("/analyst/").get_data(as_text=True)
    assert 'id="my-role">viewer<' in viewer and 'id="my-role">admin<' in admin
    assert "/analyst/team" in admin and "/analyst/team" not in viewer
    assert "/analyst/audit" in admin and "/analyst/audit" not in viewer


@pytest.mark.parametrize("role, shown, hidden", [
    ("viewer", ["find-themes"], ["code-one-by-one", "apply-code", "Erase answers", "spam-verdict", "memos-title"]),
    ("coder", ["code-one-by-one", "spam-verdict", "memos-title"], ["apply-code", "start-round", "Erase answers"]),
    ("analyst", ["apply-code", "start-round", "save-search"], ["Erase answers"]),
    ("admin", ["apply-code", "Erase answers"], []),
])
def test_pages_offer_only_the_actions_the_role_may_take(app, role, shown, hidden):
    doc_id = store(app, "The night shift needs a second nurse")
    client = signed_in(app, role)
    text = client.get("/analyst/?q=nurse").get_data(as_text=True) + client.get(f"/analyst/responses/{doc_id}").get_data(
        as_text=True)
    assert all(mark in text for mark in shown) and not any(mark in text for mark in hidden)


def test_the_audit_log_records_the_role_the_actor_held(app):
    signed_in(app, "analyst").post("/analyst/api/codes", json={"name": "Staffing"})
    entries = signed_in(app, "admin").get("/analyst/api/audit?action=code.create").json["entries"]
    assert [(entry["actor"], entry["role"]) for entry in entries] == [(ROLE_NAMES["analyst"], "analyst")]
