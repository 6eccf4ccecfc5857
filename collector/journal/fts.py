"""Full-text indexing off the submit path: answers are indexed in batches, before a read needs them.

A submit only records its row's seq in `fts_queue` (the insert trigger). Indexing one answer per
transaction flushed and merged FTS5 segments on every submit; a batch of many costs a fraction
per answer. The embedded engine indexes what is queued before it reads (so every stored answer
is searchable at once) and an indexer thread keeps the queue short in the background. In search
mode the domain is the index: the journal indexes only for saved searches that code answers.
"""
import logging
import os
import threading
import time

from flask import current_app, g

from collector import journal
from collector.common.slots import Slot
from collector.journal import writes

FTS_INDEXER = Slot("fts_indexer")

log = logging.getLogger("fts")
QUEUED = "SELECT seq, essay FROM responses WHERE seq IN (SELECT seq FROM fts_queue ORDER BY seq LIMIT ?)"
SETTLE_SECONDS = 1.0
# Answers per indexing transaction: it holds the journal's write lock, and submits wait behind it.
CHUNK = 64
QUIET_CHUNK = 16
QUIET_PAUSE = 0.005


def indexed_through(db):
    """The highest seq up to which every answer is indexed."""
    first = db.execute("SELECT min(seq) FROM fts_queue").fetchone()[0]
    return first - 1 if first is not None else db.execute("SELECT coalesce(max(seq), 0) FROM responses").fetchone()[0]


def catch_up(db, path, limit=None, pause=0.0):
    """Index up to `limit` queued answers (all when None), `chunk` per transaction; returns how many.

    pause: seconds to step aside between chunks (the background thread gives submits the lock and
    the CPU; a reader that needs the index now does not wait)."""
    done = 0
    chunk = QUIET_CHUNK if pause else CHUNK
    while limit is None or done < limit:
        indexed = _index_chunk(db, path, min(chunk, limit - done) if limit else chunk)
        done += indexed
        if indexed < chunk:
            return done
        time.sleep(pause)
    return done


def _index_chunk(db, path, size):
    if db.in_transaction or not db.execute("SELECT 1 FROM fts_queue LIMIT 1").fetchone():
        return 0  # (inside a caller's transaction this connection cannot start its own)
    with writes.transaction(db):
        rows = db.execute(QUEUED, (size,)).fetchall()
        for table in ("essays", "plain_words"):
            db.executemany(f"INSERT INTO {table} (rowid, essay) VALUES (?, ?)", [tuple(r) for r in rows])
        db.executemany("DELETE FROM fts_queue WHERE seq = ?", [(r[0],) for r in rows])
    return len(rows)


def indexed_db():
    """The request's journal connection, with every stored answer indexed (checked once per request)."""
    db = journal.get_db()
    if not g.get("fts_current"):
        catch_up(db, current_app.config["JOURNAL_PATH"])
        g.fts_current = True
    return db


class Indexer:
    """Embedded mode's background thread: indexes a burst of submits soon after it ends."""

    def __init__(self, path, connect):
        self.path = path
        self.connect = connect
        self.wake = threading.Event()
        self.pid = None

    def notify(self):
        """An answer was journalled: index it soon (starts the thread in this process if needed)."""
        if self.pid != os.getpid():
            self.pid = os.getpid()
            self.wake = threading.Event()
            threading.Thread(target=self._serve, args=(self.wake,), name="fts-indexer", daemon=True).start()
        self.wake.set()

    def _serve(self, wake):
        # Linux: this thread only, below requests
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        db = self.connect(self.path)
        while True:
            wake.wait()
            time.sleep(SETTLE_SECONDS)  # under steady load: one batch a second, not one per answer
            wake.clear()
            try:
                catch_up(db, self.path, pause=QUIET_PAUSE)
            except Exception:  # noqa: BLE001 - the next read indexes instead; keep the thread alive
                log.exception("background indexing failed")


def init_app(app):
    """A background indexer (on a laptop, where FTS5 is the search: a fleet indexes only on demand)."""
    FTS_INDEXER.put(app, Indexer(app.config["JOURNAL_PATH"], journal.connect))


def notify(app):
    """Tell this process's indexer, if it has one, that answers were journalled."""
    indexer = FTS_INDEXER.find(app)
    if indexer:
        indexer.notify()
