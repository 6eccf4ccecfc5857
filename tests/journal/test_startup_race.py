"""Workers starting at once on a new journal (gunicorn forks them together): none fails to start.

SQLite switches a journal to WAL without waiting for locks, so a worker doing so while another
creates the schema got "database is locked" and gunicorn, seeing a worker fail to boot, stopped
the whole server. Before the fix this test failed in each of two runs of 40 trials."""
import multiprocessing

import pytest

from collector import create_app

WORKERS, TRIALS = 6, 40


def start(folder, barrier, failures):
    """One worker: wait for the others, then make the app on the shared data dir."""
    barrier.wait()
    try:
        create_app({"DATA_DIR": folder, "SECRET_KEY": "k" * 32})
    except Exception as exc:  # noqa: BLE001 - any failure is what the test counts
        failures.put(repr(exc))


@pytest.mark.slow
def test_workers_making_the_app_at_once_on_a_new_journal_all_start(tmp_path):
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for trial in range(TRIALS):
        barrier = context.Barrier(WORKERS)
        workers = [context.Process(target=start, args=(str(tmp_path / str(trial)), barrier, failures))
                   for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
    found = []
    while not failures.empty():
        found.append(failures.get(timeout=1))
    assert found == []
