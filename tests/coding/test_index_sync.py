"""Search mode: the index learns codes as partial updates that survive outages, reindexing and erasure."""
import re

import es_client
from collector import create_app, journal
from collector.coding import index_sync, stores
from collector.shipping import outbox
from models import index_body
from tests.helpers import drain, log_in, store


def code(client, doc_id, *names, status=200):
    response = client.post(f"/analyst/api/responses/{doc_id}/codes", json={"add": list(names)})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


def waiting(app):
    with app.app_context():
        return index_sync.waiting(journal.get_db())


def test_a_coding_reaches_the_index_at_once_and_survives_a_reindex(search_app, search_analyst, domain):
    ids = [store(search_app, f"answer {n} about the night shift", state="pending") for n in range(3)]
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "Night"})
    code(search_analyst, ids[0], "Night")
    assert domain.docs()[ids[0]]["codes"] == ["Night"] and waiting(search_app) == 0
    result = search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"])
    assert result.exit_code == 0 and "-v2" in result.output
    assert domain.docs()[ids[0]]["codes"] == ["Night"] and waiting(search_app) == 0
    hits = search_analyst.get("/analyst/api/search?code=Night").json["hits"]
    assert [h["id"] for h in hits] == [ids[0]]


def test_a_coding_the_index_cannot_take_yet_waits_in_the_journal_and_is_sent_once(search_app, search_analyst,
                                                                                  domain):
    doc_id = store(search_app, "an answer", state="pending")
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "Later"})
    # the answers, not the workspace
    domain.switches.refused.append(("POST", re.compile(f"^/{domain.alias}/_bulk"), 429))
    assert code(search_analyst, doc_id, "Later") == {"codes": ["Later"]}  # the workspace has it: acknowledged
    assert waiting(search_app) == 1 and "codes" not in domain.docs()[doc_id]
    domain.switches.refused.clear()
    drain(search_app)
    assert domain.docs()[doc_id]["codes"] == ["Later"] and waiting(search_app) == 0
    assert drain(search_app).shipped == 0 and waiting(search_app) == 0


def test_a_coding_while_the_domain_is_down_is_refused_whole_and_kept_nowhere(search_app, search_analyst, domain):
    doc_id = store(search_app, "an answer", state="pending")
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "Later"})
    domain.switches.mode = "down"
    assert "did not answer" in code(search_analyst, doc_id, "Later", status=503)["error"]
    domain.switches.mode = "up"
    assert search_analyst.get(f"/analyst/api/responses/{doc_id}/codes").json == {"codings": []}
    assert waiting(search_app) == 0 and drain(search_app).shipped == 0 and "codes" not in domain.docs()[doc_id]


def test_a_pending_answer_ships_with_the_codes_it_was_given(search_app, search_analyst, domain):
    doc_id = store(search_app, "not shipped yet", state="pending")
    search_analyst.post("/analyst/api/codes", json={"name": "Early"})
    assert code(search_analyst, doc_id, "Early") == {"codes": ["Early"]}
    drain(search_app)
    assert domain.docs()[doc_id]["codes"] == ["Early"] and waiting(search_app) == 0


def test_an_index_made_before_codes_gains_the_field_after_an_upgrade(search_config, domain):
    body = index_body({"essay": "text"})
    del body["mappings"]["properties"]["codes"]  # as a release before coding made it
    domain.create_index(body)
    older = create_app(search_config)
    doc_id = store(older, "shipped by an older release", state="shipped")
    with older.app_context():  # as that release shipped it: without codes
        domain.node.index(index=domain.alias, id=doc_id, body=journal.fetch(doc_id).to_dict(), refresh=True)
    upgraded = create_app(search_config)
    client = upgraded.test_client()
    log_in(client)
    client.post("/analyst/api/codes", json={"name": "New"})
    code(client, doc_id, "New")  # refused by the strict mapping for now: queued
    assert waiting(upgraded) == 1
    drain(upgraded)  # the shipper adds the missing field, then the update goes through
    assert domain.mapping()["properties"]["codes"]["type"] == "keyword"
    assert domain.docs()[doc_id]["codes"] == ["New"] and waiting(upgraded) == 0


def test_init_index_on_an_index_from_before_coding_adds_codes_and_asks_for_a_reindex(search_app, domain):
    body = index_body({"essay": "text"})
    del body["mappings"]["properties"]["codes"]
    del body["mappings"]["properties"]["essay"]["fields"]["plain"]
    domain.create_index(body)
    result = search_app.test_cli_runner().invoke(args=["init-index"])
    assert result.exit_code == 1 and ".plain for prefix search" in result.output and "essay" in result.output
    assert domain.mapping()["properties"]["codes"]["type"] == "keyword"
    assert search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert search_app.test_cli_runner().invoke(args=["init-index"]).exit_code == 0


def test_a_pusher_that_read_older_codes_never_overwrites_newer_ones(search_app, search_analyst, domain,
                                                                   monkeypatch):
    doc_id = store(search_app, "coded by two pushers at once", state="pending")
    drain(search_app)
    for name in ("First", "Second"):
        search_analyst.post("/analyst/api/codes", json={"name": name})
    with search_app.app_context():  # "First" is queued; a shipper's push reads it, and is slow to send
        db = journal.get_db()
        stores.current().change_codes(doc_id, ["First"], [], "ada")
        original, held = es_client.send_bulk, []

        def slow_send(client, alias, body):
            if not held:  # meanwhile an analyst adds "Second", and that request pushes it at once
                held.append(body)
                assert code(search_analyst, doc_id, "Second") == {"codes": ["First", "Second"]}
            return original(client, alias, body)

        monkeypatch.setattr(es_client, "send_bulk", slow_send)
        index_sync.push(search_app, db)
        monkeypatch.setattr(es_client, "send_bulk", original)
        assert b'"First"]' in held[0]  # the slow push carried the older list
        while index_sync.waiting(db) and index_sync.push(search_app, db):
            pass
    assert domain.docs()[doc_id]["codes"] == ["First", "Second"]


def test_codes_pushed_while_an_answer_is_shipped_again_are_not_overwritten_by_the_shipment(
        search_app, search_analyst, domain, monkeypatch):
    doc_id = store(search_app, "shipped again while it is coded", state="pending")
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "Late"})
    with search_app.app_context():
        outbox.requeue_all(journal.get_db())  # as `ship --all` does: to be indexed whole again
    original, done = es_client.send_bulk, []

    def code_then_send(client, alias, body):  # the shipper read no codes; the analyst's push lands first
        if not done and b"shipped again while it is coded" in body:  # the shipment, not a codes update
            done.append(code(search_analyst, doc_id, "Late"))
        return original(client, alias, body)

    monkeypatch.setattr(es_client, "send_bulk", code_then_send)
    drain(search_app)
    monkeypatch.setattr(es_client, "send_bulk", original)
    drain(search_app)
    assert done == [{"codes": ["Late"]}] and domain.docs()[doc_id]["codes"] == ["Late"]


def test_workspace_sync_codes_sends_codes_an_instance_never_pushed(search_app, search_analyst, domain):
    doc_id = store(search_app, "an answer", state="pending")
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "Kept"})
    code(search_analyst, doc_id, "Kept")
    # as if never sent
    domain.node.update(index=domain.alias, id=doc_id, body={"doc": {"codes": []}}, refresh=True)
    result = search_app.test_cli_runner().invoke(args=["workspace", "sync-codes"])
    assert result.exit_code == 0 and "1 coded answer(s) sent to the index; 0 wait" in result.output, result.output
    assert domain.docs()[doc_id]["codes"] == ["Kept"]


def test_answers_whose_codes_cannot_be_read_again_after_shipping_ship_and_get_their_codes_later(search_app, domain):
    ids = [store(search_app, f"shipped while the workspace flickered {n}", state="pending") for n in range(3)]
    codes_for = index_sync.CODES_FOR.of(search_app)

    def flicker(answer_ids):
        raise es_client.DomainUnavailable("The workspace in the search domain did not answer.")

    index_sync.CODES_FOR.put(search_app, flicker)
    assert drain(search_app).shipped == 3  # before: the drain died, and the rows' bookkeeping with it
    with search_app.app_context():
        assert index_sync.waiting(journal.get_db()) == 3  # their codes go again once they can be read
    index_sync.CODES_FOR.put(search_app, codes_for)
    drain(search_app)
    with search_app.app_context():
        assert index_sync.waiting(journal.get_db()) == 0
    assert set(domain.docs()) == set(ids)
