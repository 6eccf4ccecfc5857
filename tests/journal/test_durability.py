"""An acknowledged answer survives restarts and concurrent writers."""
import fcntl
import multiprocessing
import os
import re
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests

from collector import create_app
from models import id_for_receipt
from tests.helpers import log_in, receipt_of, submit, wait_until
from tests.processes import gunicorn

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


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
    assert len(acknowledged) == 1000
    assert stored == {id_for_receipt(r) for r in acknowledged}
    analyst = app.test_client()
    log_in(analyst)
    assert analyst.get("/analyst/api/search?q=worker").json["total"] == 1000  # and every one is searchable


def _submit_until_refused(url, worker, receipts):
    """POST answers from one browser session until the server stops answering; keep each 303's receipt."""
    session = requests.Session()
    token = TOKEN.search(session.get(url + "/").text).group(1)
    for n in range(100_000):
        try:
            answer = session.post(url + "/", allow_redirects=False, timeout=5,
                                  data={"essay": f"killed worker test {worker} {n}", "csrf_token": token,
                                        "email": f"w{worker}@example.org"})
        except requests.RequestException:
            return
        if answer.status_code == 303:
            receipts.append(answer.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.slow
def test_kill_9_during_group_commits_loses_no_acknowledged_answer(app_config, tmp_path):
    data = tmp_path / "kill9"
    server, url = gunicorn(data, SUBMIT_RATE_LIMIT="off", APP_ENV="development")
    receipts = [[] for _ in range(6)]
    threads = [threading.Thread(target=_submit_until_refused, args=(url, n, receipts[n])) for n in range(6)]
    for thread in threads:
        thread.start()
    assert wait_until(lambda: sum(map(len, receipts)) >= 300, timeout=60)
    lock = os.open(data / "journal.sqlite3.lock", os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # the journal is busy: answers wait in the writers' queues
    time.sleep(1)
    for worker in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        os.kill(int(worker), signal.SIGKILL)  # with answers queued for the next shared commit
    server.kill()
    server.wait()
    os.close(lock)
    for thread in threads:
        thread.join(10)
    acknowledged = {id_for_receipt(r) for batch in receipts for r in batch}
    stored = {row[0] for row in sqlite3.connect(data / "journal.sqlite3").execute("SELECT id FROM responses")}
    assert len(acknowledged) >= 300 and acknowledged <= stored
