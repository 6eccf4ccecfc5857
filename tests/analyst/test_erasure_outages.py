"""Issue 30 #7: an erasure during an outage is all or nothing, or recorded and completed later;
never half (the journal row gone while another instance still drains its spilled copy)."""
import glob
import multiprocessing
import os
import sqlite3
import unicodedata
from datetime import datetime, timedelta, timezone

import es_client
from collector import create_app, journal
from collector.shipping import spilling
from models import receipt_for
from tests.helpers import drain, run_pass, store

LONG_AGO = datetime.now(timezone.utc) - timedelta(minutes=5)


def test_erasing_by_receipt_while_the_domain_is_down_changes_nothing_and_works_once_it_is_back(
        spill_config, domain, loopback_s3, spill_bucket, tmp_path, clock):
    a = create_app(spill_config)
    doc_id = store(a, "an answer its author wants gone", state="pending", when=LONG_AGO)
    domain.switches.mode = "down"
    run_pass(a)  # spilled: the store holds it, for any instance to drain
    assert loopback_s3.keys(spill_bucket, "spill/pending/")
    refused = a.test_cli_runner().invoke(args=["erase", "--receipt", receipt_for(doc_id), "--yes"])
    assert refused.exit_code == 1 and "erase again" in refused.output
    with a.app_context():
        assert journal.fetch(doc_id) is not None  # nothing half-done
    domain.switches.mode = "up"
    again = a.test_cli_runner().invoke(args=["erase", "--receipt", receipt_for(doc_id), "--yes"])
    assert again.exit_code == 0 and "Erased 1 answer." in again.output, again.output
    b = create_app(dict(spill_config, DATA_DIR=str(tmp_path / "b")))
    spilling.SPILLING.of(b).drainer.drain_all(journal.connect(b.config["JOURNAL_PATH"]))
    assert domain.docs_or_empty() == {} and loopback_s3.keys(spill_bucket, "spill/pending/") == []


def test_an_erasure_cut_short_after_the_fleet_knows_of_it_completes_on_the_next_pass(search_app, domain, monkeypatch):
    doc_id = store(search_app, "shipped, then erased while the index refused deletes", state="pending")
    drain(search_app)
    real_delete = es_client.delete_ids

    def refused(*args, **kwargs):
        raise es_client.DomainUnavailable("The search domain did not answer (503).")
    monkeypatch.setattr(es_client, "delete_ids", refused)
    result = search_app.test_cli_runner().invoke(args=["erase", "--receipt", receipt_for(doc_id), "--yes"])
    assert result.exit_code == 1 and "erase again" in result.output
    trail = search_app.test_cli_runner().invoke(args=["audit"]).output
    assert "completes later" in trail
    monkeypatch.setattr(es_client, "delete_ids", real_delete)
    drain(search_app)  # the shipper's pass deletes it from the index again
    assert doc_id not in domain.docs()


def test_an_erasure_by_email_takes_the_address_out_of_saved_searches_and_bulk_codings(app, analyst):
    """Issue 30 #12: the erased address stayed in the parameters of searches recorded with it."""
    store(app, "written by the leaver", email="leaver@example.org")
    analyst.post("/analyst/api/codes", json={"name": "leavers"})
    assert analyst.post("/analyst/api/saved", json={"name": "the leaver", "params": {"email": "leaver@example.org"},
                                                     "code": "leavers"}).status_code == 201
    assert analyst.post("/analyst/api/codes/leavers/apply?email=LEAVER@example.org").status_code == 200
    for name, params in (("in words", {"q": "leaver@example.org"}), ("typed wide", {"email": "ｌｅａｖｅｒ＠example.org"})):
        assert analyst.post("/analyst/api/saved", json={"name": name, "params": params}).status_code == 201
    result = app.test_cli_runner().invoke(args=["erase", "--email", "leaver@example.org", "--yes"])
    assert "Erased 1 answer." in result.output
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    kept = db.execute("SELECT params FROM saved_searches UNION ALL SELECT params FROM code_batches").fetchall()
    assert len(kept) == 4 and not any("leaver" in unicodedata.normalize("NFKC", params).lower() for (params,) in kept)
    listed = analyst.get("/analyst/api/saved").json["saved"]
    assert all("erased" in row["disabled"] for row in listed)


def _erase_then_die(config, email):
    """In a child process: erase, and be killed right after the erasing commit (before the FTS merge)."""
    from collector.journal import wipe

    wipe.finish = lambda *args, **kwargs: os._exit(9)
    create_app(config).test_cli_runner().invoke(args=["erase", "--email", email, "--yes"])


def test_an_erasure_killed_after_its_commit_finishes_scrubbing_at_the_next_start(app_config):
    """Issue 30 #6: the merge and scrub after the commit ran with no marker and no audit row."""
    app = create_app(app_config)
    for n in range(3):
        store(app, f"my quetzalcoatlish secret {n}", email="gone@example.org")
    store(app, "someone else's words", email="stays@example.org")
    child = multiprocessing.get_context("fork").Process(target=_erase_then_die, args=(app_config, "gone@example.org"))
    child.start()
    child.join(60)
    assert child.exitcode == 9
    restarted = create_app(app_config)  # the next start finishes what the killed process owed
    on_disk = b"".join(open(p, "rb").read() for p in glob.glob(restarted.config["JOURNAL_PATH"] + "*"))
    assert b"quetzalcoatlish" not in on_disk and b"someone else" in on_disk
    trail = restarted.test_cli_runner().invoke(args=["audit"]).output
    assert "erase" in trail and "interrupted" in trail
