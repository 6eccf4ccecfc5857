"""Shipping is exactly once per answer, through faults, kills, rejections and size limits."""
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from collector import create_app
from collector.shipping.sender import backoff
from models import index_body
from tests.helpers import drain, search_env, store, wait_until

ROOT = Path(__file__).resolve().parents[2]


def journal_states(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return dict(db.execute("SELECT state, count(*) FROM responses GROUP BY state").fetchall())


def live_leases(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return db.execute("SELECT count(*) FROM responses WHERE claimed_until > ?", (time.time(),)).fetchone()[0]


def journal_ids(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return {row[0] for row in db.execute("SELECT id FROM responses")}


@pytest.mark.slow
def test_a_thousand_answers_arrive_once_while_the_domain_cycles_through_faults(search_config, domain):
    app = create_app(dict(search_config, SHIP_BATCH=25))
    for n in range(1000):
        store(app, f"answer {n} under fire", state="pending")
    stop = threading.Event()

    def cycle_faults():
        modes = ["down", "up", "429", "up", "500", "503", "up", "item429"]
        while not stop.is_set():
            for mode in modes:
                domain.switches.mode = "up" if mode == "item429" else mode
                domain.switches.item_429_every = 3 if mode == "item429" else 0
                time.sleep(0.05)

    chaos = threading.Thread(target=cycle_faults)
    chaos.start()
    first = drain(app, seconds=3)
    stop.set()
    chaos.join()
    domain.switches.mode, domain.switches.item_429_every = "up", 0
    drain(app)
    assert first.retried > 0, "the faults never hit a request"
    assert set(domain.docs()) == journal_ids(app)
    assert len(domain.docs()) == 1000
    assert journal_states(app) == {"shipped": 1000}


@pytest.mark.slow
def test_a_worker_killed_mid_ship_loses_and_duplicates_nothing(search_config, domain):
    app = create_app(search_config)
    for n in range(1000):
        store(app, f"answer {n} before the kill", state="pending")
    domain.switches.latency = 0.03
    env = {**os.environ, "DATA_DIR": search_config["DATA_DIR"], **search_env(search_config), "SHIP_BATCH": "20",
           "SHIP_LEASE_SECONDS": "1", "SECRET_KEY": "x"}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "application", "ship"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: len(domain.docs_or_empty()) >= 100, timeout=30, interval=0.01)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    shipped_before_kill = len(domain.docs())
    assert 0 < shipped_before_kill < 1000
    domain.switches.latency = 0
    assert wait_until(lambda: not live_leases(app)), "the dead worker's leases never ran out"
    drain(app)
    assert len(domain.docs()) == 1000
    assert set(domain.docs()) == journal_ids(app)
    assert journal_states(app) == {"shipped": 1000}


def test_a_mapping_rejection_becomes_a_dead_letter_and_the_rest_ship(search_app, domain):
    body = index_body({"essay": "text"})
    body["mappings"]["properties"]["user_agent"] = {"type": "integer"}  # a field that cannot take the value
    domain.create_index(body)
    good = [store(search_app, f"fine answer {n}", state="pending") for n in range(4)]
    bad = store(search_app, "sent with a browser", state="pending", user_agent="Firefox/140")
    outcome = drain(search_app)
    assert (outcome.shipped, outcome.dead) == (4, 1)
    assert set(domain.docs()) == set(good)
    health = search_app.test_client().get("/healthz").json
    assert (health["journal_backlog"], health["dead_letters"]) == (0, 1)
    listing = search_app.test_cli_runner().invoke(args=["ship", "--dead"])
    assert listing.exit_code == 1
    assert bad in listing.output and "mapper_parsing_exception" in listing.output


def test_a_row_that_cannot_be_encoded_is_a_dead_letter_not_a_stuck_shipper(search_app, domain):
    store(search_app, "ok", state="pending")
    store(search_app, "from a broken proxy", state="pending", client_ip="not-an-ip")
    outcome = drain(search_app)
    assert (outcome.shipped, outcome.dead) == (1, 1)
    assert journal_states(search_app) == {"shipped": 1, "dead": 1}


def test_batches_stay_under_the_byte_bound_and_go_to_the_alias(search_config, domain):
    app = create_app(dict(search_config, SHIP_MAX_BYTES=20_000))
    for n in range(100):
        store(app, f"essay {n} " + "lorem ipsum " * 160, state="pending")  # ~2 KB each
    assert drain(app).shipped == 100
    bulks = [s for s in domain.seen if s.path.endswith("/_bulk")]
    assert len(bulks) >= 10
    assert all(s.body_bytes <= 20_000 for s in bulks)
    assert {s.path for s in bulks} == {f"/{domain.alias}/_bulk"}


@pytest.mark.parametrize("parallel", [1, 3])
def test_a_batch_is_split_evenly_over_ship_parallel_requests_sent_side_by_side(search_config, domain, parallel):
    app = create_app(dict(search_config, SHIP_PARALLEL=parallel))
    for n in range(90):
        store(app, f"essay {n} " + "lorem ipsum " * 160, state="pending")  # ~2 KB each: one batch of 90
    assert drain(app).shipped == 90
    bulks = [s.body_bytes for s in domain.seen if s.path.endswith("/_bulk")]
    assert len(bulks) == parallel and max(bulks) < 1.2 * min(bulks)
    assert journal_states(app) == {"shipped": 90}


def test_a_413_from_the_domain_shrinks_batches_until_they_fit(search_config, domain, clock):
    app = create_app(dict(search_config, SHIP_MAX_BYTES=200_000))
    domain.switches.max_body_bytes = 70_000
    for n in range(100):
        store(app, f"essay {n} " + "lorem ipsum " * 160, state="pending")
    assert drain(app).shipped == 100
    assert any(s.status == 413 for s in domain.seen)
    assert journal_states(app) == {"shipped": 100}


@pytest.mark.parametrize("attempts", [0, 3, 30])
def test_backoff_grows_is_capped_and_jittered(attempts):
    delays = {backoff(attempts) for _ in range(20)}
    assert len(delays) > 1
    assert all(0.5 * min(300, 2 ** attempts) <= d <= min(300, 2 ** attempts) for d in delays)


def test_switching_from_embedded_to_search_mode_finds_every_earlier_answer(app_config, search_config, domain):
    embedded = create_app(dict(app_config, SEARCH_URL=None))  # search_config added SEARCH_URL to app_config
    ids = {store(embedded, f"taken in embedded mode {n}") for n in range(30)}  # stored as already indexed
    app = create_app(search_config)  # same DATA_DIR, now with SEARCH_URL
    hint = app.test_cli_runner().invoke(args=["init-index"]).output
    assert "30 answer(s) that this new index has never seen" in hint and "ship --all" in hint
    result = app.test_cli_runner().invoke(args=["ship", "--all"])
    assert result.exit_code == 0 and "queued 30" in result.output
    assert set(domain.docs()) == ids
    backfill = [s.body_bytes for s in domain.seen if s.method == "PUT" and s.path.endswith("/_settings")]
    assert len(backfill) == 2  # fewer refreshes while it loads, then the index serves as before
    settings = domain.node.indices.get_settings(index=domain.index_of())[domain.index_of()]["settings"]["index"]
    assert "refresh_interval" not in settings
    again = app.test_cli_runner().invoke(args=["ship", "--all"])  # safe to repeat: same _ids, no duplicates
    assert again.exit_code == 0 and len(domain.docs()) == 30
