"""An acknowledged answer survives restarts and concurrent writers."""
import multiprocessing
import sqlite3

import pytest

from collector import create_app
from models import id_for_receipt
from tests.helpers import log_in, receipt_of, submit


def test_acknowledged_answer_survives_a_restart(app_config):
    first = create_app(app_config).test_client()
    receipt = receipt_of(submit(first, essay="Remember me after the restart"))
    again = create_app(app_config).test_client()
    log_in(again)
    page = again.get(f"/analyst/responses/{id_for_receipt(receipt)}")
    assert "Remember me after the restart" in page.get_data(as_text=True)


def _submit_many(config, worker, count, results):
    client = create_app(config).test_client()
    receipts = []
    for n in range(count):
        response = submit(client, essay=f"worker {worker} answer {n}", email=f"w{worker}@example.org")
        if response.status_code != 303:
            return results.put(f"worker {worker}: answer {n} got {response.status_code}")
        receipts.append(receipt_of(response))
    results.put(receipts)


@pytest.mark.slow
def test_two_processes_submitting_concurrently_lose_nothing(app, app_config):
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    workers = [ctx.Process(target=_submit_many, args=(app_config, w, 500, results)) for w in (1, 2)]
    for process in workers:
        process.start()
    outcomes = [results.get(timeout=300), results.get(timeout=300)]
    assert all(isinstance(o, list) for o in outcomes), outcomes
    acknowledged = outcomes[0] + outcomes[1]
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    stored = {row[0] for row in db.execute("SELECT id FROM responses")}
    indexed = db.execute("SELECT count(*) FROM essays WHERE essays MATCH 'worker'").fetchone()[0]
    assert len(acknowledged) == 1000
    assert stored == {id_for_receipt(r) for r in acknowledged}
    assert indexed == 1000
