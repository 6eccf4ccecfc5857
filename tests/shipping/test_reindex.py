"""`flask reindex` on the real node: a blocked, verified copy, a swap, and nothing erased comes back."""

from collector import create_app
from collector.shipping import reindexing
from models import index_body
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
    assert mapping["dynamic"] == "strict" and mapping["properties"]["essay"]["analyzer"] == "english_folded"
    analysis = domain.node.indices.get_settings(index=alias)[f"{alias}-v1"]["settings"]["index"]["analysis"]
    assert "asciifolding" in analysis["analyzer"]["english_folded"]["filter"]
    ids = {store(search_app, f"before reindex {n}", state="pending") for n in range(5)}
    drain(search_app)
    result = runner.invoke(args=["reindex", "--poll", "0.1"])
    assert result.exit_code == 0 and f"{alias}-v1 -> {alias}-v2" in result.output, result.output
    assert domain.index_of() == f"{alias}-v2"
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


def test_an_interrupted_reindex_resumes_into_its_index_and_follows_its_running_copy(search_app, domain):
    ids = {store(search_app, f"resumed {n}", state="pending") for n in range(3)}
    drain(search_app)
    alias = domain.alias
    # A first run created v2 and started its copy (throttled: two answers a second), then was stopped.
    domain.node.indices.create(index=f"{alias}-v2", body=index_body({"essay": "text"}))
    domain.node.reindex(body={"source": {"index": f"{alias}-v1", "size": 1}, "dest": {"index": f"{alias}-v2"}},
                        wait_for_completion=False, requests_per_second=2)
    result = search_app.test_cli_runner().invoke(args=["reindex", "--poll", "0.2"])
    assert result.exit_code == 0, result.output
    assert [s.path for s in domain.seen if s.path == "/_reindex"] == []  # it followed the running copy
    assert domain.index_of() == f"{alias}-v2" and set(domain.docs()) == ids


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
