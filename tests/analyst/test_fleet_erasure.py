"""Erasure reaches every copy, in a fleet of two instances (own disks) on the real node: an answer A took
and shipped, worked on by analysts on B in every way the workspace records, erased on B by its receipt,
leaves nothing (text, email, id, receipt) on either disk, in any index or record, once A's shipper has
made one pass; and undoing a merge or a split afterwards brings none of it back."""
import pytest

from collector import create_app
from collector.common import lifecycle
from models import id_for_receipt
from tests.helpers import drain, edit_code, log_in, receipt_of, run_pass, settle, traces, write_surveys

SURVEYS = """
surveys:
  - slug: pulse
    title: Pulse
    email: optional
    allow_edit_days: 7
    max_responses: 50
    questions:
      - {id: said, type: essay, label: Said, required: true}
"""
TEXT, EMAIL = "Quixotic zebracorn feedback about the canteen", "zebra.corn@example.org"


class Fleet:
    """Instances A and B on one domain, and an analyst's JSON client on B."""

    def __init__(self, search_config, tmp_path):
        config = dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS))
        self.a, self.b = create_app(config), create_app(dict(config, DATA_DIR=str(tmp_path / "b")))
        self.on_b = self.b.test_client()
        log_in(self.on_b)

    def send(self, said, email="", client=None):
        """A respondent's answer through A's form (by a browser of its own, unless given); (its receipt, its id)."""
        client = client or self.a.test_client()
        receipt = receipt_of(client.post("/s/pulse", data={"said": said, "email": email}))
        return receipt, id_for_receipt(receipt)

    def post(self, url, body=None, **params):
        """An analyst's JSON call on B, which must succeed."""
        response = self.on_b.post(url, json=body, query_string=params)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.json


@pytest.fixture
def fleet(search_config, tmp_path):
    return Fleet(search_config, tmp_path)


def work_on(fleet, gone, kept):
    """Everything analysts can record about answers, done on B: codes, a bulk batch, a memo, a suggestion
    decision, a round with a coder's codes, examples, a saved search by email, a merge and a split."""
    for name in ("Canteen", "Food", "Meals"):
        fleet.post("/analyst/api/codes", {"name": name})
    for answer in (gone, kept):
        fleet.post(f"/analyst/api/responses/{answer}/codes", {"add": ["Canteen"]})
    fleet.post("/analyst/api/codes/Food/apply", q="canteen")
    fleet.post("/analyst/api/memos", {"response": gone, "text": "A striking answer."})
    fleet.post(f"/analyst/api/codes/Food/suggestions/{gone}", {"accept": True})
    started = fleet.post("/analyst/api/rounds", {"name": "Pilot", "codes": ["Canteen"], "params": {}, "sample": 2,
                                                 "seed": 1, "coders": ["ada", "bea"]})
    fleet.post(f"/analyst/api/rounds/{started['id']}/units/{gone}", {"codes": ["Canteen"]})
    assert fleet.on_b.patch("/analyst/api/codes/Canteen", json={"examples": [gone, kept]}).status_code == 200
    fleet.post("/analyst/api/saved", {"name": "Hers", "params": {"email": EMAIL}, "code": None})
    merge = fleet.post("/analyst/api/codes/Canteen/merge", {"into": "Meals"})
    split = fleet.post("/analyst/api/codes/Food/split", {"new": "Lunch"}, q="zebracorn")
    return merge["batch"], split["batch"]


@pytest.mark.slow
def test_an_answer_erased_on_b_leaves_no_byte_anywhere_once_a_has_made_one_pass(fleet, domain):
    sender = fleet.a.test_client()
    receipt, gone = fleet.send(TEXT, EMAIL, client=sender)
    _, kept = fleet.send("The canteen queue is long")
    edited = sender.post(f"/thanks/{receipt}/edit", data={"edit_code": edit_code(sender, receipt)})
    assert "/r/" in edited.location  # a change begun, never sent
    drain(fleet.a)
    merge, split = work_on(fleet, gone, kept)
    needles = [TEXT, "zebracorn", EMAIL, gone, receipt]
    assert traces(needles, [fleet.a, fleet.b], domain)  # the test sees what it looks for
    response = fleet.on_b.post("/analyst/erase", data={"receipt": receipt, "confirm": "yes"})
    assert response.status_code == 303
    run_pass(fleet.a)  # A learns of the erasure from the fleet's tombstones
    assert traces(needles, [fleet.a, fleet.b], domain) == []
    fleet.post(f"/analyst/api/batches/{merge}/undo")
    fleet.post(f"/analyst/api/batches/{split}/undo")
    settle(fleet.b)
    assert traces(needles, [fleet.a, fleet.b], domain) == []


def test_every_store_of_a_fleet_instance_registered_its_forget(spill_config):
    app = create_app(spill_config)
    assert [f.name for f in lifecycle.forgetters(app)] == [
        "journal", "index", "spill", "places", "coding", "rounds", "suggestion decisions", "model cache", "drafts"]
    assert [f.name for f in lifecycle.forgetters(app, here_only=True)] == ["journal", "model cache"]


def test_embedded_mode_forgets_in_the_journal_which_holds_every_record(app):
    assert [f.name for f in lifecycle.forgetters(app)] == ["journal", "meaning matrix", "coding", "model cache"]
