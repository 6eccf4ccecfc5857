"""Issue 29: coding one answer after another, and the ticked answers of a results page as one
batch; written once and run against both engines."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from collector import create_app
from tests.helpers import drain, log_in, new_state, store

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def walk(engine_config):
    """(analyst client, ids of five night-shift answers newest first, id of another) with codes Rota, Kit."""
    app = create_app(engine_config)
    night = [store(app, f"night shift number {n}", when=START + timedelta(hours=n), state=new_state(app))
             for n in range(5)]
    other = store(app, "a sunny morning", when=START, state=new_state(app))
    if app.config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    for name in ("Rota", "Kit"):
        assert client.post("/analyst/api/codes", json={"name": name, "description": f"when {name}"}).status_code == 201
    return client, night[::-1], other


def page(client, url, status=200):
    """The text of a page, checking its status."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_the_view_walks_the_search_in_order_with_the_position_in_the_url(walk):
    client, night, _ = walk
    first = page(client, "/analyst/code?q=night&at=1")
    assert "1 of 5" in first and "night shift number 4" in first and 'aria-keyshortcuts="1"' in first
    assert "when Rota" in first  # the code's description beside its button
    following = re.search(r'id="next" rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = page(client, following)
    assert "2 of 5" in second and "night shift number 3" in second and 'id="prev"' in second
    assert "night shift number 0" in page(client, "/analyst/code?q=night&at=5")
    assert "past the last of the 5" in page(client, "/analyst/code?q=night&at=9")
    assert "must be a position" in page(client, "/analyst/code?q=night&at=x", 400)


def test_an_answer_coded_out_of_the_search_stays_shown_and_next_goes_on_from_its_place(walk):
    client, night, _ = walk
    response = client.post(f"/analyst/code/toggle?q=night&code=-Rota&at=1&id={night[0]}", data={"code": "rota"})
    assert response.status_code == 303 and f"id={night[0]}" in response.location
    shown = page(client, response.location)
    assert "night shift number 4" in shown and "took this answer out of the search" in shown
    assert 'aria-pressed="true"' in shown  # Rota is on
    after = page(client, f"/analyst/code?q=night&code=-Rota&at=1&id={night[0]}&step=next")
    assert "1 of 4" in after and "night shift number 3" in after  # nothing skipped
    again = client.post(f"/analyst/code/toggle?q=night&at=1&id={night[0]}", data={"code": "Rota"})
    assert again.status_code == 303 and 'aria-pressed="true"' not in page(client, again.location)


def test_ticked_answers_get_one_code_as_one_undoable_batch(walk):
    client, night, other = walk
    response = client.post("/analyst/apply-checked?q=night", data={"id": [night[0], night[2]], "code": "Kit"})
    assert response.status_code == 303 and response.location.endswith("/analyst/?q=night")
    coded = client.get("/analyst/api/search", query_string={"code": "Kit"}).json["hits"]
    assert {hit["id"] for hit in coded} == {night[0], night[2]}
    batch = re.search(r"/batches/([^/]+)/undo", page(client, "/analyst/codes")).group(1)
    assert client.post(f"/analyst/api/batches/{batch}/undo").json == {"removed": 2}
    assert client.get("/analyst/api/search", query_string={"code": "Kit"}).json["total"] == 0


@pytest.mark.parametrize("form, message", [
    ({"code": "Kit"}, "Tick between 1 and 100"),
    ({"id": ["placeholder"], "code": ""}, "Choose the code"),
    ({"id": ["no-such-answer"], "code": "Kit"}, "no answer with that id"),
    ({"id": ["placeholder"], "code": "Nothing"}, "no code called"),
])
def test_ticked_coding_without_answers_a_code_or_real_ids_says_what_to_fix(walk, form, message):
    client, night, _ = walk
    form = {k: [night[0] if i == "placeholder" else i for i in v] if isinstance(v, list) else v for k, v in form.items()}
    response = client.post("/analyst/apply-checked", data=form)
    assert response.status_code in (400, 404) and message in response.get_data(as_text=True)


def test_an_analyst_marks_spam_by_hand_and_filters_counts_and_the_audit_follow(walk):
    client, night, other = walk
    assert client.post(f"/analyst/responses/{other}/spam", data={"verdict": "spam", "next": "/analyst/?q=sunny"}
                       ).status_code == 303
    assert client.get("/analyst/api/search", query_string={"spam": "only"}).json["hits"][0]["id"] == other
    assert other not in {hit["id"] for hit in client.get("/analyst/api/search?spam=exclude").json["hits"]}
    assert "Mark as not spam" in page(client, f"/analyst/responses/{other}")
    assert client.post(f"/analyst/api/responses/{other}/spam", json={"spam": False}).json == {"spam": False}
    assert client.get("/analyst/api/search", query_string={"spam": "only"}).json["total"] == 0
    assert "true or false" in client.post(f"/analyst/api/responses/{other}/spam", json={"spam": "yes"}).json["error"]
    marks = client.get("/analyst/api/audit", query_string={"action": "spam.mark"}).json["entries"]
    assert [entry["scope"] for entry in marks] == ["not spam", "spam"] and marks[0]["actor"] == "ada"
