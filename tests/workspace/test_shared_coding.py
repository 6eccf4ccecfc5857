"""Coding shared by every instance, written once and run against both stores: the journal's tables
(embedded: two workers of one journal) and the domain's workspace index (search mode: two
instances, each with its own disk, on one real node)."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from collector.coding import stores
from collector.common.error_pages import UserError
from tests.helpers import drain, log_in, new_state, store


def answers(app, *texts):
    """Answers taken by this instance, searchable (search mode ships them); their ids."""
    ids = [store(app, text, state=new_state(app)) for text in texts]
    if app.config["SEARCH_URL"]:
        drain(app)
    return ids


def analyst(app):
    """A logged-in analyst's client on this instance."""
    client = app.test_client()
    log_in(client)
    return client


def call(client, method, url, status=200, **kwargs):
    """One JSON call, checking its status; the JSON answer."""
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


def coded(client, code):
    """Ids of the answers a search by code finds."""
    hits = call(client, "get", "/analyst/api/search", query_string={"code": code, "per_page": 100})["hits"]
    return {hit["id"] for hit in hits}


def codes_of(client, doc_id):
    """An answer's code names, as the coding store has them."""
    return [row["name"] for row in call(client, "get", f"/analyst/api/responses/{doc_id}/codes")["codings"]]


def test_a_code_made_renamed_or_deleted_on_one_instance_shows_on_the_other_at_once(instances):
    a, b = instances
    on_a, on_b = analyst(a), analyst(b)
    night = answers(a, "night shift again", "night shift rota")
    call(on_a, "post", "/analyst/api/codes", 201, json={"name": "Nights"})
    assert [code["name"] for code in call(on_b, "get", "/analyst/api/codes")["codes"]] == ["Nights"]
    call(on_b, "post", f"/analyst/api/responses/{night[0]}/codes", json={"add": ["Nights"]})
    call(on_b, "patch", "/analyst/api/codes/Nights", json={"name": "Night shift"})
    (code,) = call(on_a, "get", "/analyst/api/codes")["codes"]
    assert (code["name"], code["answers"]) == ("Night shift", 1) and codes_of(on_a, night[0]) == ["Night shift"]
    assert coded(on_a, "Night shift") == {night[0]}
    assert call(on_a, "delete", "/analyst/api/codes/Night shift") == {"removed_from": 1}
    assert call(on_b, "get", "/analyst/api/codes")["codes"] == [] and codes_of(on_b, night[0]) == []
    call(on_b, "get", "/analyst/api/search", 400, query_string={"code": "Night shift"})


def test_a_bulk_coding_on_one_instance_is_undone_exactly_from_the_other(instances):
    a, b = instances
    on_a, on_b = analyst(a), analyst(b)
    night = answers(a, "night shift one", "night shift two", "night shift three")
    call(on_a, "post", "/analyst/api/codes", 201, json={"name": "Nights"})
    # by hand, before
    call(on_a, "post", f"/analyst/api/responses/{night[0]}/codes", json={"add": ["Nights"]})
    done = call(on_a, "post", "/analyst/api/codes/Nights/apply", query_string={"q": "night"})
    assert (done["applied"], done["matched"]) == (2, 3) and coded(on_b, "Nights") == set(night)
    assert call(on_b, "post", f"/analyst/api/batches/{done['batch']}/undo") == {"removed": 2}
    assert coded(on_a, "Nights") == {night[0]} and codes_of(on_a, night[1]) == []
    assert "undone" in call(on_a, "post", f"/analyst/api/batches/{done['batch']}/undo", 404)["error"]


def test_analysts_coding_one_answer_at_once_on_two_instances_lose_nothing(instances):
    a, b = instances
    clients = [analyst(app) for app in (a, b) * 4]
    (doc_id,) = answers(a, "an answer every analyst codes at once")
    names = [f"Code {n}" for n in range(8)]
    for name in names:
        call(clients[0], "post", "/analyst/api/codes", 201, json={"name": name})

    def give(n):
        return call(clients[n], "post", f"/analyst/api/responses/{doc_id}/codes", json={"add": [names[n]]})
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(give, range(8)))
    assert codes_of(clients[1], doc_id) == names
    for app in (a, b):  # pushes that lost a race to the index try again on the next pass
        if app.config["SEARCH_URL"]:
            drain(app)
    assert all(coded(clients[0], name) == {doc_id} for name in names)


def test_one_name_given_at_once_on_two_instances_makes_one_code(instances):
    a, b = instances
    clients = [analyst(app) for app in (a, b) * 4]

    def make(n):
        return clients[n].post("/analyst/api/codes", json={"name": "Same" if n % 2 else "same"}).status_code
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(make, range(8)))
    assert statuses == [201] + [409] * 7
    assert len(call(clients[1], "get", "/analyst/api/codes")["codes"]) == 1


def test_a_saved_search_codes_answers_whichever_instance_took_them_and_removals_stay(instances, clock):
    a, b = instances
    on_a, on_b = analyst(a), analyst(b)
    call(on_a, "post", "/analyst/api/codes", 201, json={"name": "Nights"})
    call(on_a, "post", "/analyst/api/saved", 201, json={"name": "nights", "params": {"q": "night"}, "code": "Nights"})
    clock.advance(1)  # the answers come after the search was saved
    by_b, _ = answers(b, "a night shift answer taken by b", "a day shift answer taken by b")
    (by_a,) = answers(a, "a night shift answer taken by a")
    assert coded(on_a, "Nights") == {by_a, by_b}
    call(on_b, "post", f"/analyst/api/responses/{by_b}/codes", json={"remove": ["Nights"]})
    (later,) = answers(b, "one more night shift answer")
    assert coded(on_b, "Nights") == {by_a, later} and coded(on_a, "Nights") == {by_a, later}
    assert [row["auto"] for row in call(on_a, "get", f"/analyst/api/responses/{later}/codes")["codings"]] == [True]


@pytest.mark.slow
def test_a_bulk_coding_of_more_answers_than_one_request_carries_is_applied_and_undone_whole(instances):
    a, b = instances
    on_a, on_b = analyst(a), analyst(b)
    many = answers(a, *(f"a night shift answer, number {n}" for n in range(1100)))
    call(on_a, "post", "/analyst/api/codes", 201, json={"name": "Nights"})
    done = call(on_a, "post", "/analyst/api/codes/Nights/apply", query_string={"q": "night"})
    assert (done["applied"], done["matched"]) == (1100, 1100)
    assert call(on_b, "get", "/analyst/api/search", query_string={"code": "Nights"})["total"] == len(many)
    assert call(on_b, "post", f"/analyst/api/batches/{done['batch']}/undo") == {"removed": 1100}
    assert call(on_a, "get", "/analyst/api/search", query_string={"code": "Nights"})["total"] == 0


def test_two_instances_renaming_one_code_at_once_one_wins_the_other_is_refused_and_searches_follow_the_winner(
        instances):
    first, second = instances
    [doc_id] = answers(first, "the canteen queue")
    on_first, on_second = analyst(first), analyst(second)
    call(on_first, "post", "/analyst/api/codes", 201, json={"name": "Alpha"})
    call(on_first, "post", f"/analyst/api/responses/{doc_id}/codes", json={"add": ["Alpha"]})
    call(on_first, "post", "/analyst/api/saved", 201, json={"name": "mine", "params": {"code": "Alpha"}})
    with second.test_request_context():  # the second instance has read the code...
        read = stores.current().code_named("Alpha")
    call(on_first, "patch", "/analyst/api/codes/Alpha", json={"name": "Beta"})  # ...the first renames it...
    with second.test_request_context(), pytest.raises(UserError) as refused:  # ...then the second does
        stores.current().edit_code(read, "Gamma", None, "bea")
    assert refused.value.status == 409 and "renamed to 'Beta'" in str(refused.value)
    assert [code["name"] for code in call(on_second, "get", "/analyst/api/codes")["codes"]] == ["Beta"]
    assert [row["params"] for row in call(on_second, "get", "/analyst/api/saved")["saved"]] == [{"code": "Beta"}]
    assert coded(on_second, "Beta") == {doc_id}


def test_a_rename_racing_a_description_edit_keeps_both(instances):
    first, second = instances
    on_first, on_second = analyst(first), analyst(second)
    call(on_first, "post", "/analyst/api/codes", 201, json={"name": "Alpha", "description": "as made"})
    with second.test_request_context():  # the second instance has read the code...
        read = stores.current().code_named("Alpha")
    call(on_first, "patch", "/analyst/api/codes/Alpha", json={"description": "edited on the first"})
    with second.test_request_context():  # ...then renames it, saying nothing of its description
        stores.current().edit_code(read, "Beta", None, "bea")
    [code] = call(on_second, "get", "/analyst/api/codes")["codes"]
    assert (code["name"], code["description"]) == ("Beta", "edited on the first")
