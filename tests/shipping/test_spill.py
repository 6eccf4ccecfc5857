"""Answers the domain cannot take leave the instance for S3 (moto's loopback server) and come back once."""
import json
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

import config
from collector import create_app, journal
from collector.shipping import shipper, spilling
from collector.shipping.spill import id_of
from models import receipt_for
from opensearch.node import free_port
from tests.helpers import drain, run_pass, store, wait_until

LONG_AGO = datetime.now(timezone.utc) - timedelta(minutes=5)


def spilled_ids(s3, bucket, folder="pending"):
    return {id_of(key) for key in s3.keys(bucket, f"spill/{folder}/")}


def health(app):
    return app.test_client().get("/healthz").json


def pending_answers(app, count, when=LONG_AGO, email="someone@example.org"):
    return {store(app, f"answer {n} the domain could not take", email=email, state="pending", when=when)
            for n in range(count)}


def test_answers_waiting_too_long_for_a_failing_domain_move_to_the_store(spill_config, domain, loopback_s3,
                                                                         spill_bucket):
    app = create_app(spill_config)
    waited = pending_answers(app, 5)
    pending_answers(app, 1, when=datetime.now(timezone.utc))  # younger than SPILL_AFTER: stays
    domain.switches.mode = "down"
    assert run_pass(app).error
    assert spilled_ids(loopback_s3, spill_bucket) == waited
    assert (health(app)["journal_backlog"], health(app)["spilled"]) == (1, 5)
    head = loopback_s3.client().head_object(Bucket=spill_bucket, Key=loopback_s3.keys(spill_bucket)[0])
    assert head["ServerSideEncryption"] == "AES256"


def test_a_healthy_domain_means_nothing_is_spilled(spill_config, domain, loopback_s3, spill_bucket):
    app = create_app(spill_config)
    ids = pending_answers(app, 3)
    run_pass(app)
    assert set(domain.docs()) == ids
    assert loopback_s3.keys(spill_bucket) == []


def test_another_instance_drains_the_store_exactly_once_after_the_first_is_gone(spill_config, domain, loopback_s3,
                                                                                spill_bucket, tmp_path, clock):
    first = create_app(spill_config)
    ids = pending_answers(first, 30)
    domain.switches.mode = "down"
    run_pass(first)
    shutil.rmtree(spill_config["DATA_DIR"])  # the instance is terminated with its disk
    domain.switches.mode, domain.switches.item_429_every = "up", 4  # some items must wait and retry
    second = create_app(dict(spill_config, DATA_DIR=str(tmp_path / "second")))
    assert wait_until(lambda: clock.advance(2) and run_pass(second) and not loopback_s3.keys(spill_bucket))
    assert set(domain.docs()) == ids and len(domain.docs()) == 30
    assert health(second)["spilled"] == 0


def test_with_the_store_down_too_answers_stay_on_the_instance(spill_config, domain, monkeypatch, clock):
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{free_port()}")  # nothing listens
    app = create_app(spill_config)
    ids = pending_answers(app, 4)
    domain.switches.mode = "down"
    run_pass(app)
    assert shipper.SHIPPER.of(app).finish(2).error
    assert (health(app)["journal_backlog"], health(app)["spilled"]) == (4, None)
    domain.switches.mode = "up"
    assert drain(app).shipped == 4
    assert set(domain.docs()) == ids


def test_shutdown_spills_whatever_the_domain_did_not_take(spill_config, domain, loopback_s3, spill_bucket, clock):
    app = create_app(spill_config)
    ids = pending_answers(app, 12, when=datetime.now(timezone.utc))  # however young
    domain.switches.mode = "down"
    shipper.SHIPPER.of(app).finish(2)
    assert spilled_ids(loopback_s3, spill_bucket) == ids
    assert health(app)["journal_backlog"] == 0


def test_during_an_outage_shutdown_spills_at_once_instead_of_trying_the_domain_first(spill_config, domain,
                                                                                     loopback_s3, spill_bucket):
    app = create_app(spill_config)
    ids = pending_answers(app, 6, when=datetime.now(timezone.utc))
    domain.switches.mode = "503"  # every request answered, and refused
    run_pass(app)  # the shipper learns the domain fails
    tried = len(domain.seen)
    shipper.SHIPPER.of(app).finish(2)
    assert spilled_ids(loopback_s3, spill_bucket) == ids
    assert domain.seen[tried:] == []


def test_an_answer_the_domain_refuses_is_kept_as_a_dead_letter_in_the_store(spill_config, domain, loopback_s3,
                                                                            spill_bucket):
    app = create_app(spill_config)
    good = pending_answers(app, 2)
    bad = store(app, "a bad address", state="pending", when=LONG_AGO, client_ip="not an address")
    domain.switches.mode = "down"
    run_pass(app)
    domain.switches.mode = "up"
    outcome = spilling.SPILLING.of(app).drainer.drain_all(journal.connect(app.config["JOURNAL_PATH"]))
    assert (outcome.shipped, outcome.dead) == (2, 1) and set(domain.docs()) == good
    assert spilled_ids(loopback_s3, spill_bucket, "dead") == {bad}
    assert spilled_ids(loopback_s3, spill_bucket) == set()
    dead = json.loads(loopback_s3.client().get_object(
        Bucket=spill_bucket, Key=loopback_s3.keys(spill_bucket, "spill/dead/")[0])["Body"].read())
    assert dead["id"] == bad and "client_ip" in dead["dead_reason"]


@pytest.mark.parametrize("by", ["email", "receipt"])
def test_erasing_a_spilled_answer_removes_it_from_the_store_and_it_is_never_indexed(
        spill_config, domain, loopback_s3, spill_bucket, tmp_path, by, clock):
    first = create_app(spill_config)
    kept = pending_answers(first, 2, email="stays@example.org")
    (gone,) = pending_answers(first, 1, email="leaves@example.org")
    domain.switches.mode = "down"
    run_pass(first)
    domain.switches.mode = "up"
    other = create_app(dict(spill_config, DATA_DIR=str(tmp_path / "other")))  # never held the answer
    option = ["--email", "Leaves@example.org"] if by == "email" else ["--receipt", receipt_for(gone)]
    result = other.test_cli_runner().invoke(args=["erase", *option, "--yes"])
    assert result.exit_code == 0 and "Erased 1 answer." in result.output
    assert spilled_ids(loopback_s3, spill_bucket) == kept
    trail = other.test_cli_runner().invoke(args=["audit"]).output
    assert "1 from the spill store" in trail
    erased = sqlite3.connect(other.config["JOURNAL_PATH"]).execute("SELECT recheck_after FROM erased").fetchall()
    assert len(erased) == 1 and erased[0][0] > 0  # deleted from the index again after any drain in flight
    run_pass(other)
    assert set(domain.docs()) == kept


def test_ship_spilled_drains_by_hand_and_says_what_is_left(spill_config, domain, loopback_s3, spill_bucket):
    app = create_app(spill_config)
    ids = pending_answers(app, 7)
    domain.switches.mode = "down"
    run_pass(app)
    result = app.test_cli_runner().invoke(args=["ship", "--spilled"])
    assert result.exit_code == 1 and "still spilled 7" in result.output
    domain.switches.mode = "up"
    result = app.test_cli_runner().invoke(args=["ship", "--spilled"])
    assert result.exit_code == 0 and "shipped 7" in result.output and "still spilled 0" in result.output
    assert set(domain.docs()) == ids
    assert journal.counts(journal.connect(app.config["JOURNAL_PATH"])) == {"pending": 0, "dead": 0}


@pytest.mark.parametrize("url, message", [
    ("sqs://answers", "not SQS"),
    ("s3://", "s3://<bucket>/<prefix>"),
    ("https://bucket.s3.amazonaws.com/spill", "s3://<bucket>/<prefix>"),
])
def test_a_spill_url_that_cannot_work_stops_the_app_with_a_reason(search_config, url, message):
    with pytest.raises(config.ConfigError, match=message.replace("/", ".")):
        create_app(dict(search_config, SPILL_URL=url))


def test_spill_and_drain_log_batches_without_essays_or_emails(spill_config, domain, caplog):
    app = create_app(spill_config)
    pending_answers(app, 3, email="private.person@example.org")
    domain.switches.mode = "down"
    with caplog.at_level("INFO", logger="spill"):
        run_pass(app)
        domain.switches.mode = "up"
        run_pass(app)  # the first drain after an outage is a one-answer probe
        run_pass(app)
    events = [record for record in caplog.records if record.name == "spill"]
    assert [(r.getMessage(), r.docs) for r in events] == [
        ("spilled batch", 3), ("drained spill batch", 1), ("drained spill batch", 2)]
    logged = json.dumps([vars(r) for r in events], default=str)
    assert "private.person" not in logged and "could not take" not in logged
