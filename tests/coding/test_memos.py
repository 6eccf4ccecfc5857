"""Issue 26 #2: definitions beside the coding buttons, and memos on codes and answers: dated, by
author, editable and searchable; in both coding stores."""
import pytest

from collector.coding import stores
from collector.suggestions import decisions
from tests.helpers import log_in


@pytest.fixture
def rota(coding):
    coding.post("/analyst/api/codes", {"name": "Rota", "definition": "The shift rota or its changes.",
                                       "exclusion": "Not overtime pay.", "examples": [coding.night[0]]}, status=201)
    return coding


def test_a_definition_exclusion_and_examples_show_beside_the_coding_buttons(rota):
    (code,) = rota.get("/analyst/api/codes")["codes"]
    assert (code["definition"], code["exclusion"], code["examples"]) == (
        "The shift rota or its changes.", "Not overtime pay.", [rota.night[0]])
    page = rota.client.get("/analyst/code", query_string={"q": "night"}).get_data(as_text=True)
    beside = page.split('id="codebook-title"')[1]
    assert "Use when:</strong> The shift rota or its changes." in beside and "Not when:</strong> Not overtime pay." in beside
    assert f'href="/analyst/responses/{rota.night[0]}"' in beside


def test_an_answer_page_keeps_an_answer_as_an_example_of_its_code(rota):
    rota.post(f"/analyst/api/responses/{rota.night[1]}/codes", {"add": ["Rota"]})
    page = rota.client.get(f"/analyst/responses/{rota.night[1]}").get_data(as_text=True)
    form = page.split('code-example"')[0].rsplit("<form", 1)[1]
    action = form.split('action="')[1].split('"')[0]
    done = rota.client.post(action, data={"answer": rota.night[1], "action": "add", "next": "/analyst/"})
    assert done.status_code == 303
    assert rota.get("/analyst/api/codes")["codes"][0]["examples"] == [rota.night[0], rota.night[1]]


@pytest.mark.parametrize("change, error", [
    ({"examples": "not a list"}, "list of answer ids"),
    ({"examples": [f"id{n}" for n in range(11)]}, "at most 10"),
    ({"definition": "x" * 1001}, "at most 1000"),
])
def test_bad_definitions_are_refused_and_nothing_changes(rota, change, error):
    refused = rota.client.patch("/analyst/api/codes/Rota", json={"name": "Renamed", **change})
    assert refused.status_code == 400 and error in refused.json["error"]
    assert [c["name"] for c in rota.get("/analyst/api/codes")["codes"]] == ["Rota"]


def test_memos_on_a_code_and_an_answer_are_dated_signed_editable_and_searchable(rota):
    on_code = rota.post("/analyst/api/memos", {"code": "rota", "text": "Rota answers peak in <b>March</b>."}, status=201)
    on_answer = rota.post("/analyst/api/memos", {"response": rota.night[2], "text": "Quote this one."}, status=201)
    assert (on_code["code"], on_code["author"], on_answer["response"]) == ("Rota", "ada", rota.night[2])
    assert on_code["created_at"].endswith("+00:00") and on_code["edited_at"] is None
    edited = rota.client.patch(f"/analyst/api/memos/{on_answer['id']}", json={"text": "Quote this one in the report."})
    assert edited.json["text"] == "Quote this one in the report." and edited.json["edited_by"] == "ada"
    assert [m["text"] for m in rota.get("/analyst/api/memos", response=rota.night[2])["memos"]] == [
        "Quote this one in the report."]
    assert [m["id"] for m in rota.get("/analyst/api/memos", q="report QUOTE")["memos"]] == [on_answer["id"]]
    assert [m["id"] for m in rota.get("/analyst/api/memos")["memos"]] == [on_answer["id"], on_code["id"]]
    page = rota.client.get("/analyst/memos", query_string={"q": "march"}).get_data(as_text=True)
    assert "Rota answers peak in &lt;b&gt;March&lt;/b&gt;." in page and "Quote this" not in page
    answer_page = rota.client.get(f"/analyst/responses/{rota.night[2]}").get_data(as_text=True)
    assert "Quote this one in the report." in answer_page and "edited by ada" in answer_page


@pytest.mark.parametrize("body, status", [
    ({"code": "Rota", "text": "  "}, 400),
    ({"code": "Rota", "response": "x", "text": "both"}, 400),
    ({"text": "on nothing"}, 400),
    ({"code": "Nothing", "text": "an unknown code"}, 404),
    ({"response": "no-such-answer", "text": "an unknown answer"}, 404),
])
def test_a_memo_on_nothing_or_without_text_is_refused_and_kept_nowhere(rota, body, status):
    assert rota.client.post("/analyst/api/memos", json=body).status_code == status
    assert rota.get("/analyst/api/memos")["memos"] == []
    assert rota.client.patch("/analyst/api/memos/12345", json={"text": "x"}).status_code == 404


def test_the_answer_page_writes_a_memo_and_an_erased_answer_takes_its_memos_along(rota):
    page = rota.client.get(f"/analyst/responses/{rota.night[3]}").get_data(as_text=True)
    assert 'class="new-memo"' in page
    written = rota.client.post("/analyst/memos", data={"response": rota.night[3], "text": "Says: nobody answered.",
                                                       "next": f"/analyst/responses/{rota.night[3]}"})
    assert written.status_code == 303 and "Says: nobody answered." in rota.client.get(written.location).get_data(
        as_text=True)
    analyst = rota.app.test_client()
    log_in(analyst)
    receipt = page.split("<code>")[1].split("</code>")[0]
    erased = analyst.post("/analyst/erase", data={"receipt": receipt, "confirm": "yes"})
    assert erased.status_code in (200, 303)
    assert rota.get("/analyst/api/memos", q="nobody")["memos"] == []


def test_a_deleted_code_takes_its_memos_and_suggestion_decisions_along_and_a_new_code_inherits_none(rota):
    rota.post("/analyst/api/memos", {"code": "Rota", "text": "Said of the old code"}, status=201)
    rota.post(f"/analyst/api/codes/Rota/suggestions/{rota.night[0]}", {"accept": False})
    rota.client.delete("/analyst/api/codes/Rota")
    rota.post("/analyst/api/codes", {"name": "Fresh"}, status=201)
    rota.settle()
    assert rota.get("/analyst/api/memos", q="old code")["memos"] == []
    assert rota.get("/analyst/api/memos", code="Fresh")["memos"] == []
    with rota.app.test_request_context():
        fresh = stores.current().find_code("Fresh")["id"]
        assert decisions.current().decided(fresh) == {}


@pytest.mark.parametrize("query", ["apfel", "ÄPFEL", "Apfel CAFÉ", "cafe"])
def test_memo_search_reads_past_case_and_accents(rota, query):
    memo = rota.post("/analyst/api/memos", {"code": "Rota", "text": "Äpfel im Café, jeden Montag."}, status=201)
    edited = rota.post("/analyst/api/memos", {"code": "Rota", "text": "Birnen."}, status=201)
    rota.client.patch(f"/analyst/api/memos/{edited['id']}", json={"text": "Äpfel und Birnen im Café."})
    assert {m["id"] for m in rota.get("/analyst/api/memos", q=query)["memos"]} == {memo["id"], edited["id"]}
