"""On a domain without read-after-write (OpenSearch Serverless ignores ?refresh and makes a write
searchable a refresh interval later), every flow that writes and then finds its own writes by a search
still does what it says: it reads by id, or looks again once the interval has passed, and says so.
The front door strips ?refresh and the node holds every write back until the test makes it visible."""
import pytest

from collector import create_app
from collector.coding import stores
from models import receipt_for
from tests.helpers import drain, log_in, run_pass, store

REFRESH = 60


@pytest.fixture
def serverless(search_config, domain, clock):
    """(app, analyst, three searchable answers) on a Serverless-like domain."""
    domain.serverless()
    app = create_app(dict(search_config, SEARCH_SERVICE="aoss", SEARCH_REFRESH_SECONDS=REFRESH))
    ids = [store(app, f"canteen queue story {n}", state="pending") for n in range(3)]
    drain(app)
    domain.make_visible()
    analyst = app.test_client()
    log_in(analyst)
    return app, analyst, ids


def codes_of(analyst, doc_id):
    """An answer's code names, read by id (real time)."""
    return sorted(row["name"] for row in analyst.get(f"/analyst/api/responses/{doc_id}/codes").json["codings"])


def test_undo_right_after_a_bulk_coding_takes_back_every_coding_it_made(serverless):
    app, analyst, ids = serverless
    analyst.post("/analyst/api/codes", json={"name": "Bulk"})
    applied = analyst.post("/analyst/api/codes/Bulk/apply", query_string={"q": "canteen"}).json
    assert applied["applied"] == 3
    assert analyst.post(f"/analyst/api/batches/{applied['batch']}/undo").json["removed"] == 3
    assert [codes_of(analyst, doc_id) for doc_id in ids] == [[], [], []]


def test_a_code_deleted_right_after_coding_leaves_those_answers_once_they_are_searchable(serverless, domain):
    app, analyst, ids = serverless
    analyst.post("/analyst/api/codes", json={"name": "Gone"})
    analyst.post(f"/analyst/api/responses/{ids[0]}/codes", json={"add": ["Gone"]})
    deleted = analyst.delete("/analyst/api/codes/Gone").json
    assert deleted["again_in_seconds"] == REFRESH
    domain.make_visible()  # the interval has passed
    run_pass(app)
    drain(app)
    assert domain.docs()[ids[0]]["codes"] == []
    with app.app_context():
        assert stores.CODING.of(app).records.get(f"codings:{ids[0]}")["codes"] == []


def test_a_merge_right_after_coding_moves_those_codings_too_and_its_undo_gives_them_back(serverless, domain):
    app, analyst, ids = serverless
    for name in ("Queue", "Waiting"):
        analyst.post("/analyst/api/codes", json={"name": name})
    analyst.post(f"/analyst/api/responses/{ids[0]}/codes", json={"add": ["Queue"]})
    merged = analyst.post("/analyst/api/codes/Queue/merge", json={"into": "Waiting"}).json
    assert merged["again_in_seconds"] == REFRESH
    domain.make_visible()
    run_pass(app)
    assert codes_of(analyst, ids[0]) == ["Waiting"]
    domain.make_visible()
    assert analyst.post(f"/analyst/api/batches/{merged['batch']}/undo").status_code == 200
    assert codes_of(analyst, ids[0]) == ["Queue"]


def test_an_erasure_right_after_a_memo_takes_the_memo_once_it_is_searchable(serverless, domain, clock):
    app, analyst, ids = serverless
    analyst.post("/analyst/api/memos", json={"response": ids[0], "text": "Written a moment before the erasure"})
    analyst.post("/analyst/erase", data={"receipt": receipt_for(ids[0]), "confirm": "yes"})
    domain.make_visible()
    clock.advance(REFRESH + 1)
    run_pass(app)
    domain.make_visible()
    assert "Written a moment before" not in str(domain.docs(f"{domain.alias}-workspace"))
