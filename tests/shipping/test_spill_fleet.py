"""Gunicorn instances through an outage: what one acknowledged is never lost, whatever ends it."""
import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest
import requests

from collector import create_app, journal
from collector.shipping import spilling
from models import id_for_receipt
from tests.helpers import drain, search_env, store, wait_until
from tests.processes import gunicorn


def submit_over_http(url, count):
    """Answer the survey `count` times like a browser; the receipts of the 303s."""
    browser = requests.Session()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', browser.get(url + "/").text).group(1)
    receipts = []
    for n in range(count):
        answer = browser.post(url + "/", allow_redirects=False, data={
            "essay": f"answer {n} given during the outage", "email": f"r{n}@example.org", "csrf_token": token})
        assert answer.status_code == 303, answer.text
        receipts.append(answer.headers["Location"].rsplit("/", 1)[-1])
    return receipts


def fleet_env(spill_config):
    return {**search_env(spill_config), "SPILL_URL": spill_config["SPILL_URL"], "SPILL_AFTER": "1",
            "SPILL_POLL_SECONDS": "0.5",
            "SUBMIT_RATE_LIMIT": "off", "GRACEFUL_TIMEOUT": "15", "SHIP_LEASE_SECONDS": "5"}


@pytest.mark.slow
def test_an_instance_terminated_during_an_outage_loses_no_acknowledged_answer(spill_config, domain, loopback_s3,
                                                                              spill_bucket, tmp_path):
    domain.switches.mode = "down"
    first, url = gunicorn(tmp_path / "a", **fleet_env(spill_config))
    try:
        receipts = submit_over_http(url, 200)
        # the store itself, not /healthz: its count is listed at most every 30 s (the wait took 29 s)
        assert wait_until(lambda: loopback_s3.keys(spill_bucket, "spill/pending/"), timeout=30)
        first.send_signal(signal.SIGTERM)  # scale-in: whatever is still on the instance spills now
        assert first.wait(timeout=30) == 0
    finally:
        first.kill()
    assert len(loopback_s3.keys(spill_bucket, "spill/pending/")) == 200
    shutil.rmtree(tmp_path / "a")  # the terminated instance's disk is gone
    domain.switches.mode = "up"
    second, _ = gunicorn(tmp_path / "b", **fleet_env(spill_config))
    try:
        assert wait_until(lambda: not loopback_s3.keys(spill_bucket), timeout=60)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert sorted(domain.docs()) == sorted(id_for_receipt(r) for r in receipts)


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_shutdown_spill_loses_and_duplicates_nothing(spill_config, domain, loopback_s3,
                                                                               spill_bucket):
    app = create_app(spill_config)
    ids = {store(app, f"answer {n} the domain could not take", state="pending") for n in range(2000)}
    domain.switches.mode = "down"
    env = {**fleet_env(spill_config), "SPILL_AFTER": "3600", "SHIP_BATCH": "50", "WEB_CONCURRENCY": "1"}
    server, _ = gunicorn(spill_config["DATA_DIR"], **env)
    server.send_signal(signal.SIGTERM)
    assert wait_until(lambda: len(loopback_s3.keys(spill_bucket)) >= 100, timeout=60, interval=0.01)
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for worker in workers:  # the worker, in the middle of its spill
        os.kill(int(worker), signal.SIGKILL)
    server.kill()
    server.wait()
    assert 0 < len(loopback_s3.keys(spill_bucket)) < 2000, "the kill came too late to cut the spill"
    domain.switches.mode = "up"
    restarted = create_app(spill_config)
    db = journal.connect(restarted.config["JOURNAL_PATH"])
    # the dead worker's leases run out
    assert wait_until(lambda: not db.execute("SELECT count(*) FROM responses WHERE claimed_until > ?",
                                             (time.time(),)).fetchone()[0], timeout=30)
    drain(restarted)
    spilling.SPILLING.of(restarted).drainer.drain_all(db)
    assert sorted(domain.docs()) == sorted(ids)
    assert loopback_s3.keys(spill_bucket) == []
    assert [tuple(r) for r in db.execute("SELECT state, count(*) FROM responses GROUP BY state")] == [("shipped", 2000)]
