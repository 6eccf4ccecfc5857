"""Journal connections: durable settings, and one kept open per thread across requests.

Opening a connection costs more than most queries on it: SQLite parses the whole schema
(tables, FTS5 modules, triggers) on a connection's first statement, and prepared statements
are cached per connection. So each thread keeps its own for the life of the process.
"""
import os
import sqlite3
import threading

from collector.common import clock
from models import tombstone_key

PROGRESS_STEPS = 20_000  # SQLite VM instructions between checks of a time limit


def connect(path):
    """Open a journal connection in autocommit mode with durable commits."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False, cached_statements=256)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA secure_delete = ON")  # erased answers leave zeros, not readable pages
    db.create_function("tombstone_key", 1, tombstone_key, deterministic=True)  # tombstones name no answer
    return db


def time_limit(db, seconds):
    """Interrupt this connection's statements once `seconds` have passed (sqlite3.OperationalError
    'interrupted'); checked every few thousand SQLite instructions, so it costs nothing measurable."""
    deadline = clock.monotonic() + seconds
    db.set_progress_handler(lambda: clock.monotonic() > deadline, PROGRESS_STEPS)


def no_time_limit(db):
    """Let this connection's statements run as long as they need again."""
    db.set_progress_handler(None, 0)


class PerThread:
    """One connection to a journal per thread (and per process: a fork opens its own)."""

    def __init__(self, path):
        self.path = path
        self.local = threading.local()
        self.opened = []
        self.guard = threading.Lock()

    def get(self):
        """This thread's connection, opened on first use."""
        if getattr(self.local, "pid", None) != os.getpid():
            self.local.db = connect(self.path)
            self.local.pid = os.getpid()
            with self.guard:
                self.opened.append(self.local.db)
        return self.local.db

    def close_all(self):
        """Close every thread's connection (tests that remount the disk; threads reopen on use)."""
        with self.guard:
            for db in self.opened:
                db.close()
            self.opened = []
            self.local = threading.local()
