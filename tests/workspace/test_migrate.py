"""Moving from a laptop to the fleet keeps all the analysts' work: `flask workspace migrate` copies
everything made in embedded mode into the domain (the real node), is idempotent, and finishes what a run
that failed half-way began, with nothing duplicated or missing."""
import pytest

import es_client
from collector import create_app
from collector.coding import fleet_migrate_history, stores
from collector.suggestions import decisions
from tests.helpers import drain, log_in, store

TEXTS = ["night shift rota", "night shift handover", "lunch with the team", "pairing on the codebase",
         "vpn worked first time", "laptop arrived early"]


class Analyst:
    """A logged-in JSON client on one app."""

    def __init__(self, app, name="ada"):
        self.app, self.client = app, app.test_client()
        log_in(self.client, name)

    def post(self, url, body=None, **params):
        response = self.client.post(url, json=body, query_string=params)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.json

    def get(self, url, **params):
        response = self.client.get(url, query_string=params)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json


def do_the_work(ada, bea, ids):
    """Everything an analyst makes: a tree with definitions, codings (one taken off), bulk batches (one
    undone), a merge of a code with a batch, a split, memos, a saved search, a closed and adjudicated round, a
    decision."""
    ada.post("/analyst/api/codes", {"name": "Shifts"})
    ada.post("/analyst/api/codes", {"name": "Nights", "parent": "Shifts", "definition": "Night work",
                                    "exclusion": "Not evenings", "examples": [ids[0]]})
    for name in ("Team", "Old"):
        ada.post("/analyst/api/codes", {"name": name})
    ada.post(f"/analyst/api/responses/{ids[0]}/codes", {"add": ["Nights"]})
    ada.post(f"/analyst/api/responses/{ids[2]}/codes", {"add": ["Team", "Shifts"]})
    ada.post(f"/analyst/api/responses/{ids[2]}/codes", {"remove": ["Shifts"]})
    ada.post("/analyst/api/codes/Team/apply", q="pairing")
    undone = ada.post("/analyst/api/codes/Team/apply", q="vpn")["batch"]
    ada.post(f"/analyst/api/batches/{undone}/undo")
    old_batch = ada.post("/analyst/api/codes/Old/apply", q="laptop")["batch"]
    merge = ada.post("/analyst/api/codes/Old/merge", {"into": "Team"})["batch"]
    ada.post("/analyst/api/codes/Team/split", {"new": "Pairing"}, q="pairing")
    ada.post("/analyst/api/memos", {"code": "Nights", "text": "Only the night shift"})
    ada.post("/analyst/api/memos", {"response": ids[1], "text": "A handover story"})
    ada.post("/analyst/api/saved", {"name": "nights", "params": {"q": "night"}, "code": "Nights"})
    started = ada.post("/analyst/api/rounds", {"name": "Pilot", "codes": ["Shifts", "Team"], "params": {},
                                               "sample": 4, "seed": 3, "coders": ["ada", "bea"], "creator_decides": True})
    for coder, codes in ((ada, ["Shifts"]), (bea, ["Team"])):
        for unit in coder.get(f"/analyst/api/rounds/{started['id']}/queue")["units"]:
            coder.post(f"/analyst/api/rounds/{started['id']}/units/{unit['id']}", {"codes": codes})
    ada.post(f"/analyst/api/rounds/{started['id']}/close")
    unit = ada.get(f"/analyst/api/rounds/{started['id']}/queue")["units"][0]["id"]
    ada.post(f"/analyst/api/rounds/{started['id']}/adjudicate/{unit}", {"codes": ["Team"]})
    ada.post(f"/analyst/api/codes/Shifts/suggestions/{ids[1]}", {"accept": False})
    return merge, old_batch


def codes_of(analyst, doc_id):
    """An answer's codings: (code, who, automatic), in name order."""
    return sorted((row["name"], row["by"], row["auto"]) for row in
                  analyst.get(f"/analyst/api/responses/{doc_id}/codes")["codings"])


def everything(analyst, ids):
    """What analysts see of their work, in a form both stores give alike."""
    codebook = [{key: code[key] for key in ("name", "parent", "definition", "exclusion", "answers", "answers_total")}
                for code in analyst.get("/analyst/api/codes")["codes"]]
    codings = {doc_id: codes_of(analyst, doc_id) for doc_id in ids}
    memos = sorted((memo["text"], memo["code"], memo["response"], memo["author"])
                   for memo in analyst.get("/analyst/api/memos", q="")["memos"])
    saved = [(row["name"], row["code"], row["params"]) for row in analyst.get("/analyst/api/saved")["saved"]]
    [pilot] = analyst.get("/analyst/api/rounds")["rounds"]
    report = analyst.get(f"/analyst/api/rounds/{pilot['id']}/report")
    with analyst.app.test_request_context():
        batches = sorted(((b["name"], b["applied"], bool(b["undone_at"])) for b in stores.current().latest_batches()),
                         key=str)  # a merged code's batch has no name
        decided = decisions.current().decided(stores.current().find_code("Shifts")["id"])
    return {"codebook": codebook, "codings": codings, "memos": memos, "saved": saved, "batches": batches,
            "decided": decided, "round": (pilot["name"], pilot["units"], pilot["closed_at"] is not None),
            "report": report["overall"], "disagreements": sorted(report["disagreements"])}


@pytest.fixture
def laptop(search_config):
    """The embedded instance's work, and the fleet instance that takes over its disk."""
    embedded = create_app(dict(search_config, SEARCH_URL=None))
    ids = [store(embedded, text) for text in TEXTS]
    merge, old_batch = do_the_work(Analyst(embedded), Analyst(embedded, "bea"), ids)
    fleet = create_app(search_config)
    return {"ids": ids, "before": everything(Analyst(embedded), ids), "fleet": fleet, "merge": merge,
            "old_batch": old_batch}


def migrate(app):
    """`flask workspace migrate` then `flask ship --all`, as the README says; the migrate's result."""
    result = app.test_cli_runner().invoke(args=["workspace", "migrate"])
    if result.exit_code == 0:
        assert app.test_cli_runner().invoke(args=["ship", "--all"]).exit_code == 0
        drain(app)
    return result


def kinds(app):
    """How many workspace records of each kind the domain holds."""
    with app.app_context():
        records = stores.current().records
        records.client.indices.refresh(index=records.index)
        found = records.search({"size": 0, "aggs": {"kinds": {"terms": {"field": "kind", "size": 50}}}})
    return {bucket["key"]: bucket["doc_count"] for bucket in found["aggregations"]["kinds"]["buckets"]}


@pytest.mark.slow
def test_the_fleet_shows_all_the_work_done_on_the_laptop_and_a_second_run_duplicates_nothing(laptop):
    fleet = laptop["fleet"]
    first = migrate(fleet)
    assert first.exit_code == 0, first.output
    assert everything(Analyst(fleet), laptop["ids"]) == laptop["before"]
    counted = kinds(fleet)
    assert migrate(fleet).exit_code == 0
    assert kinds(fleet) == counted and everything(Analyst(fleet), laptop["ids"]) == laptop["before"]


@pytest.mark.slow
def test_a_run_that_failed_half_way_is_finished_by_the_next_with_nothing_duplicated(laptop, monkeypatch):
    fleet, real = laptop["fleet"], fleet_migrate_history.migrate_history

    def fails(migration):
        raise es_client.DomainUnavailable("The workspace in the search domain did not answer (503).")
    monkeypatch.setattr(fleet_migrate_history, "migrate_history", fails)
    failed = migrate(fleet)
    assert failed.exit_code == 1 and "run it again" in failed.output
    monkeypatch.setattr(fleet_migrate_history, "migrate_history", real)
    assert migrate(fleet).exit_code == 0
    assert everything(Analyst(fleet), laptop["ids"]) == laptop["before"]
    counted = kinds(fleet)
    assert migrate(fleet).exit_code == 0 and kinds(fleet) == counted


@pytest.mark.slow
def test_a_merge_made_on_the_laptop_is_undone_exactly_in_the_fleet(laptop):
    fleet, ids = laptop["fleet"], laptop["ids"]
    assert migrate(fleet).exit_code == 0
    ada = Analyst(fleet)
    with fleet.test_request_context():
        records = stores.current().records
        [merge] = records.search({"query": {"term": {"kind": "merge"}}})["hits"]["hits"]
    ada.post(f"/analyst/api/batches/merge-{merge['_id'].split(':', 1)[1]}/undo")
    assert [name for name, *_ in codes_of(ada, ids[5])] == ["Old"]
    with fleet.test_request_context():
        [old] = [b for b in stores.current().latest_batches() if b["name"] == "Old"]
    assert ada.post(f"/analyst/api/batches/{old['id']}/undo")["removed"] == 1
    assert codes_of(ada, ids[5]) == []
