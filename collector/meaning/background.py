"""The background embedder: a thread per process that gives new and edited answers their vectors.

It never runs on the submit path. Only one process of an instance embeds at a time (a lock file
beside the journal), so gunicorn's workers share the work instead of repeating it; the thread runs
at a lower priority than requests, and while answers keep arriving it rests after each batch as long
as the batch took (at full speed it had slowed submits: P1's open-loop p99 82 -> 231 ms).
"""
import fcntl
import logging
import os
import threading
from pathlib import Path

from collector import journal
from collector.common import clock

log = logging.getLogger("meaning")
POLL_SECONDS = 2.0


class Embedding:
    """This process's embedder thread, started by its first request (so a `flask` command never starts one,
    and a worker forked from a preloaded app starts its own); work(db) embeds one batch and says how many."""

    def __init__(self, app, work):
        self.path = app.config["JOURNAL_PATH"]
        self.lock = Path(self.path).with_name("embedder.lock")
        self.work = work
        self.thread = None
        self.pid = None
        self.guard = threading.Lock()

    def start(self):
        """Start the thread in this process unless it runs already; idempotent."""
        with self.guard:
            if self.pid == os.getpid() and self.thread.is_alive():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=_serve, args=(self.path, self.lock, self.work), name="embedder",
                                           daemon=True)
            self.thread.start()


def politely(db, work):
    """Run work(db), one batch each, until it has nothing left; while new answers arrive, rest after each."""
    while True:
        newest = _newest(db)
        started = clock.monotonic()
        if not work(db):
            return
        if _newest(db) != newest:  # the site is taking answers: leave the cores to it half the time
            clock.sleep(clock.monotonic() - started)


def _newest(db):
    return db.execute("SELECT max(seq) FROM responses").fetchone()[0]


def _serve(path, lock, work):
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # Linux: this thread only, below requests
    db = journal.connect(path)
    with open(lock, "a") as held:
        while True:
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another worker of this instance is embedding
                threading.Event().wait(POLL_SECONDS)
                continue
            try:
                politely(db, work)
            except Exception:  # noqa: BLE001 - the answers wait for the next round; keep the thread alive
                log.exception("background embedding failed")
            finally:
                fcntl.flock(held, fcntl.LOCK_UN)
            threading.Event().wait(POLL_SECONDS)
