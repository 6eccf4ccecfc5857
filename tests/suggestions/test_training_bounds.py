"""Issue 38 #8: training is bounded and dies with its worker: an instance trains one code at a time (the
others say they are queued), the uncoded answers are scored chunk by chunk, and a training process whose
worker is killed ends too."""
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from collector.suggestions import training
from tests.helpers import wait_until
from tests.processes import process_alive

ROOT = Path(__file__).resolve().parents[2]
# A worker that starts the training process on a long task, says the process's pid, and waits to be killed.
WORKER = """
import time
from collector.suggestions import training
training.pool().submit(time.sleep, 600)
while not training.pool()._processes:
    time.sleep(0.05)
print(next(iter(training.pool()._processes)), flush=True)
time.sleep(600)
"""


def test_the_uncoded_answers_are_scored_chunk_by_chunk_every_one_of_them(corpus, monkeypatch):
    monkeypatch.setattr(training, "SCORE_CHUNK", 7)
    corpus.label(corpus.planted[:20], corpus.other[:20])
    found = corpus.model()
    assert len(found["hits"]) == 160 and len({hit["id"] for hit in found["hits"]}) == 160


def test_an_instance_trains_one_code_at_a_time_and_a_queued_one_says_so(corpus):
    corpus.label(corpus.planted[:20], corpus.other[:20])
    held, release = threading.Event(), threading.Event()

    def another_training():
        with training.one_at_a_time(corpus.app, training.Job(())):
            held.set()
            release.wait(60)
    threading.Thread(target=another_training, daemon=True).start()
    assert held.wait(30)
    try:
        waiting = corpus.client.get("/analyst/api/codes/VPN/suggestions").json
        assert wait_until(lambda: "queued" in (corpus.client.get("/analyst/api/codes/VPN/suggestions").json
                                               ["training"] or {}).get("state", ""), timeout=30), waiting
        assert corpus.client.get("/analyst/api/codes/VPN/suggestions").json["model"] is None
    finally:
        release.set()
    assert corpus.model()["model"]["examples"] == 40


@pytest.mark.slow
def test_a_training_process_ends_when_its_worker_is_killed():
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        child = int(worker.stdout.readline())
        assert process_alive(child)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)
        assert wait_until(lambda: not process_alive(child), timeout=30), f"training process {child} outlived its worker"
    finally:
        worker.kill()
