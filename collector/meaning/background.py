"""The background embedder: a thread per process that gives new and edited answers their vectors.

It never runs on the submit path. Only one process of an instance embeds at a time (a lock file
beside the journal), so gunicorn's workers share the work instead of repeating it; the thread runs
at a lower priority than requests.
"""
import fcntl
import logging
import os
import threading
from pathlib import Path

from collector import journal

log = logging.getLogger("meaning")
POLL_SECONDS = 2.0


def start(app, work):
    """Start this process's embedder thread: work(db) embeds what waits."""
    lock = Path(app.config["JOURNAL_PATH"]).with_name("embedder.lock")
    thread = threading.Thread(target=_serve, args=(app.config["JOURNAL_PATH"], lock, work), name="embedder",
                              daemon=True)
    thread.start()
    return thread


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
                work(db)
            except Exception:  # noqa: BLE001 - the answers wait for the next round; keep the thread alive
                log.exception("background embedding failed")
            finally:
                fcntl.flock(held, fcntl.LOCK_UN)
            threading.Event().wait(POLL_SECONDS)
