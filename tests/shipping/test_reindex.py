"""`flask reindex` on the real node: a blocked, verified copy, a swap, and nothing erased comes back."""
import pytest

import es_client
from collector import create_app
from collector.shipping import reindexing
from models import index_body, receipt_for
from tests.helpers import drain, store


def every_index(domain):
    """{id} of the documents in every index of the test's alias, old versions included."""
    domain.node.indices.refresh(index=f"{domain.alias}*")
    found = domain.node.search(index=f"{domain.alias}-v*", body={"size": 1000})["hits"]["hits"]
    return {hit["_id"] for hit in found}


def test_init_index_is_idempotent_and_reindex_swaps_the_alias(search_app, domain):
    runner, alias = search_app.test_cli_runner(), domain.alias
    assert runner.invoke(args=["init-index"]).output.strip() == f"{alias} -> {alias}-v1"
    assert runner.invoke(args=["init-index"]).output.strip() == f"{alias} -> {alias}-v1"
    mapping = domain.mapping()
    assert mapping["dynamic"] == "strict" and mapping["properties"]["essay"]["analyzer"] == "words_en"
    analysis = domain.node.indices.get_settings(index=alias)[f"{alias}-v1"]["settings"]["index"]["analysis"]
    assert {"split_words", "asciifolding"} <= set(analysis["analyzer"]["words_en"]["filter"])
    ids = {store(search_app, f"before reindex {n}", state="pending") for n in range(5)}
    drain(search_app)
    result = runner.invoke(args=["reindex", "--poll", "0.1"])
    assert result.exit_code == 0 and f"{alias}-v1 -> {alias}-v2" in result.output, result.output
    assert domain.index_of() == f"{alias}-v2"
    served = domain.node.indices.get_settings(index=f"{alias}-v2", include_defaults=True)[f"{alias}-v2"]
    index = {**served["defaults"]["index"], **served["settings"]["index"]}
    # as it served before the copy
    assert (index["refresh_interval"], index["number_of_replicas"]) == ("1s", "1")
    assert set(domain.docs()) == ids


def test_reindex_runs_as_a_polled_task_not_one_long_request(search_config, domain):
    app = create_app(dict(search_config, SEARCH_TIMEOUT=1))
    ids = {store(app, f"copied as a task {n}", state="pending") for n in range(5)}
    drain(app)
    result = app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"])
    assert result.exit_code == 0, result.output
    assert "copied 5 of 5" in result.output and f"{domain.alias}-v1 -> {domain.alias}-v2" in result.output
    assert any(s.method == "GET" and s.path.startswith("/_tasks/") for s in domain.seen)
    assert domain.index_of() == f"{domain.alias}-v2" and set(domain.docs()) == ids


def test_a_rerun_stops_the_copy_a_killed_run_left_running_and_copies_afresh(search_app, domain):
    ids = {store(search_app, f"resumed {n}", state="pending") for n in range(3)}
    drain(search_app)
    alias = domain.alias
    # A first run created v2 and started its copy (throttled: two answers a second), then was killed.
    domain.node.indices.create(index=f"{alias}-v2", body=index_body({"essay": "text"}))
    domain.node.reindex(body={"source": {"index": f"{alias}-v1", "size": 1}, "dest": {"index": f"{alias}-v2"}},
                        wait_for_completion=False, requests_per_second=2)
    result = search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.2"])
    assert result.exit_code == 0, result.output
    assert len([s.path for s in domain.seen if s.path == "/_reindex"]) == 1  # a fresh copy of its own
    assert domain.index_of() == f"{alias}-v2" and set(domain.docs()) == ids
    assert domain.node.tasks.list(actions="*reindex")["nodes"] == {} or not any(
        node["tasks"] for node in domain.node.tasks.list(actions="*reindex")["nodes"].values())


def test_a_reindex_stopped_by_ctrl_c_and_run_again_equals_one_never_interrupted(search_app, search_analyst, domain,
                                                                                monkeypatch):
    coded, uncoded, judged, erased = (store(search_app, f"answer {n}", state="pending") for n in range(4))
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "Kept"})
    search_analyst.post(f"/analyst/api/responses/{uncoded}/codes", json={"add": ["Kept"]})
    original = reindexing.follow_task

    def then_ctrl_c(*args, **kwargs):  # the copy completes, then the operator presses Ctrl-C
        original(*args, **kwargs)
        raise KeyboardInterrupt
    monkeypatch.setattr(reindexing, "follow_task", then_ctrl_c)
    with search_app.app_context(), pytest.raises(KeyboardInterrupt):
        reindexing.reindex(es_client.get_client(search_app), domain.alias, {"essay": "text"}, poll=0.1)
    monkeypatch.setattr(reindexing, "follow_task", original)
    search_analyst.post(f"/analyst/api/responses/{coded}/codes", json={"add": ["Kept"]})  # between the runs
    search_analyst.post(f"/analyst/api/responses/{uncoded}/codes", json={"remove": ["Kept"]})
    search_analyst.post(f"/analyst/api/responses/{judged}/spam", json={"spam": True})
    search_analyst.post("/analyst/erase", data={"receipt": receipt_for(erased), "confirm": "yes"})
    assert search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    docs = domain.docs()
    assert domain.index_of() == f"{domain.alias}-v2" and set(docs) == {coded, uncoded, judged}
    assert (docs[coded]["codes"], docs[uncoded]["codes"], docs[judged]["is_spam"]) == (["Kept"], [], True)
    assert erased not in every_index(domain)


def test_an_old_version_a_stopped_swap_left_holds_no_erased_answer(search_app, domain):
    doc_id = store(search_app, "copied before the swap was stopped", state="pending")
    drain(search_app)
    alias = domain.alias  # the alias moved to v2, and the run stopped before it deleted v1
    domain.node.indices.create(index=f"{alias}-v2", body=index_body({"essay": "text"}))
    domain.node.reindex(body={"source": {"index": f"{alias}-v1"}, "dest": {"index": f"{alias}-v2"}}, refresh=True)
    domain.node.indices.update_aliases(body={"actions": [{"remove": {"index": f"{alias}-v1", "alias": alias}},
                                                         {"add": {"index": f"{alias}-v2", "alias": alias}}]})
    result = search_app.test_cli_runner().invoke(args=["erase", "--receipt", receipt_for(doc_id), "--yes"])
    assert result.exit_code == 0, result.output
    assert every_index(domain) == set()


def test_an_index_from_before_prefix_search_asks_for_a_reindex_that_adds_the_plain_fields(search_app, domain):
    old = index_body({"essay": "text"})
    del old["mappings"]["properties"]["essay"]["fields"]  # as the previous release made it
    domain.create_index(old)
    runner = search_app.test_cli_runner()
    result = runner.invoke(args=["init-index"])
    assert result.exit_code == 1 and "essay" in result.output and "Run reindex" in result.output
    assert runner.invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert "plain" in domain.mapping()["properties"]["essay"]["fields"]
    assert runner.invoke(args=["init-index"]).exit_code == 0


def test_an_answer_erased_while_the_copy_runs_is_refused_then_erased_from_every_index(search_app, domain,
                                                                                    monkeypatch):
    kept = store(search_app, "an answer that stays", state="pending")
    store(search_app, "an answer its author erases", email="gone@example.org", state="pending")
    drain(search_app)
    late = store(search_app, "an answer that arrives during the copy", state="pending")
    during = {}
    original = reindexing.follow_task

    def meanwhile(client, task_id, progress, poll):
        if not during:  # the old index is blocked now: an erasure and a shipment both wait
            during["erase"] = search_app.test_cli_runner().invoke(args=["erase", "--email", "gone@example.org",
                                                                        "--yes"])
            during["ship"] = drain(search_app, seconds=0.5)
        return original(client, task_id, progress, poll)

    monkeypatch.setattr(reindexing, "follow_task", meanwhile)
    assert search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert during["erase"].exit_code == 1 and "erase again" in during["erase"].output
    assert during["ship"].shipped == 0 and during["ship"].dead == 0  # held in the journal, not lost
    again = search_app.test_cli_runner().invoke(args=["erase", "--email", "gone@example.org", "--yes"])
    assert again.exit_code == 0 and "Erased 1 answer." in again.output
    assert drain(search_app).shipped == 1
    assert every_index(domain) == {kept, late}  # the old version is gone with its copy of the erased answer
    assert domain.index_of() == f"{domain.alias}-v2"


def test_a_copy_whose_task_record_is_gone_is_verified_and_completed(search_app, domain, monkeypatch):
    ids = {store(search_app, f"copied {n}", state="pending") for n in range(4)}
    drain(search_app)

    domain.refuse(r"^/_tasks/.", status=404, method="GET")  # a domain upgraded in place keeps no task record
    assert search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert domain.index_of() == f"{domain.alias}-v2" and set(domain.docs()) == ids


def test_reindex_on_serverless_refuses_up_front_and_changes_nothing(search_config, domain):
    domain.service = "aoss"
    app = create_app(dict(search_config, SEARCH_SERVICE="aoss"))
    store(app, "on serverless", state="pending")
    drain(app)
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 1 and "no _reindex" in result.output and "Traceback" not in result.output
    assert domain.node.indices.exists(index=f"{domain.alias}-v2") is False


def test_a_coding_made_while_the_copy_runs_reaches_the_new_index(search_app, search_analyst, domain, monkeypatch):
    doc_id = store(search_app, "coded while the index is rebuilt", state="pending")
    drain(search_app)
    search_analyst.post("/analyst/api/codes", json={"name": "During"})
    original, coded = reindexing.follow_task, []

    def meanwhile(client, task_id, progress, poll):
        if not coded:  # the old index is write-blocked: the update waits in the queue
            coded.append(search_analyst.post(f"/analyst/api/responses/{doc_id}/codes", json={"add": ["During"]}).json)
        return original(client, task_id, progress, poll)

    monkeypatch.setattr(reindexing, "follow_task", meanwhile)
    assert search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert coded == [{"codes": ["During"]}] and domain.index_of() == f"{domain.alias}-v2"
    assert domain.docs()[doc_id]["codes"] == ["During"]


def test_a_change_acknowledged_just_before_the_copy_is_in_it(search_app, domain):
    doc_id = store(search_app, "coded a moment before the reindex", state="pending")
    drain(search_app)
    domain.node.indices.put_settings(index=domain.alias, body={"index": {"refresh_interval": "-1"}})
    # acknowledged, not searchable
    domain.node.update(index=domain.alias, id=doc_id, body={"doc": {"codes": ["Late"]}})
    assert search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert domain.docs()[doc_id]["codes"] == ["Late"]
