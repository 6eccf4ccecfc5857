"""Issue 26 #3: merging codes as one action, exactly undoable and audited; written once and run
against both stores."""
import pytest

from collector import create_app
from tests.helpers import drain, log_in, new_state, store


@pytest.fixture
def coded(engine_config):
    """(analyst client, x, y, z): x has Rota, y has Rota and Shifts, z has Shifts; two saved searches use Rota."""
    app = create_app(engine_config)
    x, y, z = (store(app, f"answer {n} about shifts", state=new_state(app)) for n in range(3))
    if app.config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    for name in ("Rota", "Shifts"):
        client.post("/analyst/api/codes", json={"name": name})
    for answer, names in ((x, ["Rota"]), (y, ["Rota", "Shifts"]), (z, ["Shifts"])):
        client.post(f"/analyst/api/responses/{answer}/codes", json={"add": names})
    client.post("/analyst/api/saved", json={"name": "gives rota", "params": {"q": "shifts"}, "code": "Rota"})
    client.post("/analyst/api/saved", json={"name": "without rota", "params": {"code": "-Rota"}})
    return client, x, y, z


def found(client, code):
    return {hit["id"] for hit in client.get("/analyst/api/search", query_string={"code": code}).json["hits"]}


def saved(client):
    return {row["name"]: (row["code"], row["params"]) for row in client.get("/analyst/api/saved").json["saved"]}


def test_a_merge_moves_codings_and_searches_and_its_undo_gives_back_exactly_what_was(coded):
    client, x, y, z = coded
    before = saved(client)
    done = client.post("/analyst/api/codes/Rota/merge", json={"into": "shifts"}).json
    assert done["moved"] == 2
    assert [c["name"] for c in client.get("/analyst/api/codes").json["codes"]] == ["Shifts"]
    assert found(client, "Shifts") == {x, y, z}
    assert saved(client) == {"gives rota": ("Shifts", {"q": "shifts"}), "without rota": (None, {"code": "-Shifts"})}
    assert client.post(f"/analyst/api/batches/{done['batch']}/undo").json == {"removed": 2}
    assert found(client, "Rota") == {x, y} and found(client, "Shifts") == {y, z}
    assert saved(client) == before
    who = {row["name"]: row["by"] for row in client.get(f"/analyst/api/responses/{x}/codes").json["codings"]}
    assert who == {"Rota": "ada"}
    assert client.post(f"/analyst/api/batches/{done['batch']}/undo").status_code == 404
    actions = [e["action"] for e in client.get("/analyst/api/audit").json["entries"]][:2]
    assert actions == ["code.unmerge", "code.merge"]


def test_a_merge_into_itself_or_an_unknown_code_is_refused_and_changes_nothing(coded):
    client, x, _, _ = coded
    assert client.post("/analyst/api/codes/Rota/merge", json={"into": "rota"}).status_code == 400
    assert client.post("/analyst/api/codes/Rota/merge", json={"into": "Nothing"}).status_code == 404
    assert found(client, "Rota") and {c["name"] for c in client.get("/analyst/api/codes").json["codes"]} == {
        "Rota", "Shifts"}


def test_the_codebook_page_merges_and_offers_to_undo_it(coded):
    client, x, y, z = coded
    rota = next(c for c in client.get("/analyst/api/codes").json["codes"] if c["name"] == "Rota")
    page = client.get("/analyst/codes").get_data(as_text=True)
    code_id = page.split('action="/analyst/codes/')[1].split("/")[0]  # the first code on the page: Rota
    merged = client.post(f"/analyst/codes/{code_id}/merge", data={"into": "Shifts"})
    assert merged.status_code == 303 and rota["answers"] == 2
    page = client.get(merged.location).get_data(as_text=True)
    assert "merged into &#39;Shifts&#39;: 2 answer(s) moved" in page and "Undo the merge" in page
    undo = page.split('id="undo-merge" action="')[1].split('"')[0]
    assert client.post(undo).status_code == 303 and found(client, "Rota") == {x, y}


def test_a_split_moves_a_search_within_a_code_to_a_new_code_and_its_undo_puts_them_back(coded):
    client, x, y, z = coded
    client.post(f"/analyst/api/responses/{z}/codes", json={"add": ["Rota"]})  # Rota: x, y, z
    done = client.post("/analyst/api/codes/Rota/split?code=Shifts", json={"new": "Rota and shifts"})
    assert done.status_code == 200 and done.json["moved"] == 2  # the Rota answers that also have Shifts
    assert found(client, "Rota") == {x} and found(client, "Rota and shifts") == {y, z}
    assert "exists already" in client.post("/analyst/api/codes/Shifts/split", json={"new": "rota"}).json["error"]
    assert client.post(f"/analyst/api/batches/{done.json['batch']}/undo").json == {"removed": 2}
    assert found(client, "Rota") == {x, y, z}
    assert {c["name"] for c in client.get("/analyst/api/codes").json["codes"]} == {"Rota", "Shifts"}
    assert client.post(f"/analyst/api/batches/{done.json['batch']}/undo").status_code == 404
    actions = {e["action"] for e in client.get("/analyst/api/audit").json["entries"]}
    assert {"code.split", "code.unsplit"} <= actions


def test_the_search_page_splits_the_code_it_is_filtered_by_and_the_codebook_offers_to_undo_it(coded):
    client, x, y, z = coded
    page = client.get("/analyst/?code=Rota&q=answer").get_data(as_text=True)
    assert 'id="split-form"' in page and "Move these 2 answers" in page
    assert page.index('id="split-form"') < page.index('id="results"')  # above the answers, not 2,300 px down
    done = client.post("/analyst/split?code=Rota&q=answer", data={"name": "Rota, split"})
    assert done.status_code == 303 and found(client, "Rota, split") == {x, y} and found(client, "Rota") == set()
    undo = client.get(done.location).get_data(as_text=True).split('id="undo-split" action="')[1].split('"')[0]
    assert client.post(undo).status_code == 303 and found(client, "Rota") == {x, y}
    assert 'id="split-form"' not in client.get("/analyst/?code=-Rota").get_data(as_text=True)


def test_undoing_a_merge_gives_back_the_codes_bulk_batches_which_can_still_be_undone(coded):
    client, x, y, z = coded
    client.post("/analyst/api/codes", json={"name": "Bulk"})
    applied = client.post("/analyst/api/codes/Bulk/apply", query_string={"q": "shifts"}).json
    assert applied["applied"] == 3
    merged = client.post("/analyst/api/codes/Bulk/merge", json={"into": "Rota"}).json
    assert client.post(f"/analyst/api/batches/{merged['batch']}/undo").status_code == 200
    assert found(client, "Bulk") == {x, y, z}
    assert client.post(f"/analyst/api/batches/{applied['batch']}/undo").json["removed"] == 3
    assert found(client, "Bulk") == set()
    assert "(deleted code)" not in client.get("/analyst/codes").get_data(as_text=True)


def test_a_deleted_codes_id_never_goes_to_a_new_code_whose_work_an_old_undo_then_keeps(coded):
    client, x, y, z = coded
    split = client.post("/analyst/api/codes/Rota/split?code=Shifts", json={"new": "Beta"}).json  # y moves
    assert client.delete("/analyst/api/codes/Beta").status_code == 200
    assert client.post("/analyst/api/codes", json={"name": "Gamma"}).status_code == 201  # never Beta's id
    client.post(f"/analyst/api/responses/{z}/codes", json={"add": ["Gamma"]})
    assert client.post(f"/analyst/api/batches/{split['batch']}/undo").status_code == 200
    assert found(client, "Gamma") == {z} and found(client, "Rota") == {x, y}


def test_a_split_whose_new_code_was_given_to_more_answers_since_is_not_undone(coded):
    client, x, y, z = coded
    split = client.post("/analyst/api/codes/Rota/split?code=Shifts", json={"new": "Beta"}).json  # y moves
    client.post(f"/analyst/api/responses/{z}/codes", json={"add": ["Beta"]})  # an analyst's own work since
    refused = client.post(f"/analyst/api/batches/{split['batch']}/undo")
    assert refused.status_code == 409 and "1 more answer" in refused.json["error"]
    assert found(client, "Beta") == {y, z} and found(client, "Rota") == {x}
