"""Hostile text in essays and emails is shown as text everywhere; every page forbids inline script."""
import csv
import io

import pytest

from models import receipt_for
from tests.helpers import store

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<mark>fake highlight</mark>",
    "javascript:alert(1) <svg onload=alert(1)>",
    "'; alert(1); '",
    "</textarea><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_essay_and_email_payloads_are_escaped_in_every_analyst_view(app, analyst, payload):
    email = f"{payload}@example.org"
    doc_id = store(app, f"alert {payload} alert", email=email)
    pages = {
        "results": analyst.get("/analyst/", query_string={"q": "alert"}),
        "newest": analyst.get("/analyst/"),
        "detail": analyst.get(f"/analyst/responses/{doc_id}"),
        "filtered": analyst.get("/analyst/", query_string={"email": email, "q": payload}),
        "erase": analyst.post("/analyst/erase", data={"receipt": receipt_for(doc_id)}),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert payload not in html, name
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], name
    api = analyst.get("/analyst/api/search", query_string={"q": "alert"})
    raw = api.get_data(as_text=True)
    assert "<" not in raw.replace("\\u003c", "") and api.json["hits"][0]["email"] == email
    highlight = api.json["hits"][0]["highlight"]
    assert highlight.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<mark>alert</mark>" in highlight


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert_data_in_the_csv(app, analyst, payload):
    store(app, payload, email="csv@example.org")
    response = analyst.get("/analyst/export.csv")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"]
    (row,) = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert row["essay"] == payload  # exactly the text, as data


def html_pages(client, analyst, app):
    doc_id = store(app, "a page")
    yield "/", client.get("/")
    yield "/thanks", client.get(f"/thanks/{receipt_for(doc_id)}")
    yield "/analyst/login", client.get("/analyst/login")
    yield "404", client.get("/nope")
    for url in ("/analyst/", f"/analyst/responses/{doc_id}", "/analyst/erase"):
        yield url, analyst.get(url)


def test_every_html_page_sends_csp_and_contains_no_inline_script(app, analyst):
    client = app.test_client()
    for url, response in html_pages(client, analyst, app):
        assert response.mimetype == "text/html", url
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, url
        html = response.get_data(as_text=True)
        assert "<script>" not in html and " on" + "load=" not in html and "style=" not in html, url


TAG = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
ANALYST_ROUTES = ["/analyst/", "/analyst/panels/terms", "/analyst/api/search", "/analyst/api/terms",
                  "/analyst/api/codes/counts", "/analyst/api/crosstab", "/analyst/export.csv", "/analyst/codes/apply"]


@pytest.mark.parametrize("route", ANALYST_ROUTES)
def test_a_parameter_is_never_reflected_as_markup_by_any_analyst_route(analyst, route):
    """Issue 30 #8: a bad parameter's error message repeats it, escaped, wherever it is answered."""
    for param in ("survey", "in", "code", "email", "f.role", "sort", "group", "from"):
        response = analyst.get(route, query_string={param: TAG})
        assert TAG not in response.get_data(as_text=True), (route, param, response.status_code)
