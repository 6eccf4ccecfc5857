"""Issue 30 #10 and #17: code names are one name whatever their case or Unicode form, and hold no
control characters."""
import pytest

from tests.helpers import store

NFD_APFEL = "A\u0308pfel"


@pytest.mark.parametrize("first, second", [
    ("Äpfel", "äpfel"), ("Éclair", "éclair"), ("\u212a", "k"), ("Äpfel", NFD_APFEL), ("Straße", "STRASSE"),
])
def test_names_that_differ_only_in_case_or_unicode_form_are_one_code(analyst, first, second):
    assert analyst.post("/analyst/api/codes", json={"name": first}).status_code == 201
    refused = analyst.post("/analyst/api/codes", json={"name": second})
    assert refused.status_code == 409 and "exists already" in refused.json["error"]


def test_a_code_filter_finds_the_code_in_any_case_and_form(app, analyst):
    doc_id = store(app, "an answer about apples")
    analyst.post("/analyst/api/codes", json={"name": "Äpfel"})
    analyst.post(f"/analyst/api/responses/{doc_id}/codes", json={"add": [NFD_APFEL.lower()]})
    for spelling in ("äpfel", "ÄPFEL", NFD_APFEL):
        hits = analyst.get("/analyst/api/search", query_string={"code": spelling}).json["hits"]
        assert [h["id"] for h in hits] == [doc_id] and hits[0]["codes"] == ["Äpfel"]


@pytest.mark.parametrize("name", ["nul\x00here", "bell\x07", "zero\u200bwidth", "soft\u00adhyphen"])
def test_a_code_name_with_control_or_invisible_characters_is_refused(analyst, name):
    response = analyst.post("/analyst/api/codes", json={"name": name})
    assert response.status_code == 400 and "control or invisible" in response.json["error"]
