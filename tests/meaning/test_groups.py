"""Issue 42 #3: near-duplicate groups in a search, in both engines, each codable in one bulk action with undo."""
import pytest

from tests.helpers import new_state, store
from tests.meaning.conftest import embed_all

SAME = ["The price is too high.", "The price is far too high.", "the price is just too high"]


@pytest.fixture
def grouped(answered):
    """The seven answers plus three near copies of one; (app, client, {text: id})."""
    app, client, ids = answered
    ids.update({text: store(app, text, state=new_state(app)) for text in SAME})
    embed_all(app)
    return app, client, ids


def test_near_duplicates_form_one_group_and_the_threshold_moves_it(grouped):
    _, client, ids = grouped
    found = client.get("/analyst/api/groups?threshold=0.9").json["groups"]
    assert [set(group["ids"]) for group in found] == [{ids[text] for text in SAME} | {ids["The price is too high"]}]
    assert found[0]["size"] == 4 and found[0]["example"] in found[0]["ids"]
    assert client.get("/analyst/api/groups?threshold=1").json["groups"] == []
    loose = client.get("/analyst/api/groups?threshold=0.5").json["groups"]
    assert loose[0]["size"] > 4


def test_the_search_filters_decide_which_answers_are_grouped(grouped):
    _, client, ids = grouped
    assert client.get("/analyst/api/groups?threshold=0.9&q=nurses").json == {"groups": [], "looked_at": 1}


def test_a_group_is_coded_in_one_bulk_action_and_undone_in_one(grouped):
    app, client, ids = grouped
    client.post("/analyst/api/codes", json={"name": "Cost"})
    group = client.get("/analyst/api/groups?threshold=0.9").json["groups"][0]
    applied = client.post(f"/analyst/api/codes/Cost/apply?ids={','.join(group['ids'])}").json
    assert applied["applied"] == 4 and applied["matched"] == 4
    coded = client.get("/analyst/api/search?code=Cost").json
    assert {hit["id"] for hit in coded["hits"]} == set(group["ids"])
    assert client.post(f"/analyst/api/batches/{applied['batch']}/undo").json["removed"] == 4


@pytest.mark.parametrize("query, message", [("threshold=0.2", "from 0.5 to 1"), ("threshold=x", "from 0.5 to 1")])
def test_a_grouping_that_cannot_run_says_why(grouped, query, message):
    _, client, _ = grouped
    response = client.get(f"/analyst/api/groups?{query}")
    assert response.status_code == 400 and message in response.json["error"]
