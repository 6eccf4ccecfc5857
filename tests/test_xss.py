"""Hostile essay text is shown as text, never as markup."""
import pytest

from tests.conftest import store

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<mark>fake highlight</mark> alert",
    "javascript:alert(1) <svg onload=alert(1)>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_escaped_in_results_api_and_detail(app, analyst, payload):
    doc_id = store(app, f"alert {payload} alert")
    pages = [
        analyst.get("/analyst/", query_string={"q": "alert"}).get_data(as_text=True),
        analyst.get("/analyst/").get_data(as_text=True),
        analyst.get(f"/analyst/responses/{doc_id}").get_data(as_text=True),
    ]
    for page in pages:
        assert payload not in page
        assert "&lt;" in page
    highlight = analyst.get("/analyst/api/search", query_string={"q": "alert"}).json["hits"][0]["highlight"]
    assert highlight.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<mark>alert</mark>" in highlight
