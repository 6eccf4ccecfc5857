"""Rate-limit counters in a small SQLite file: one count for every worker and thread of an instance.

The default `memory://` storage counts per process, so 10/minute admitted 20 with two gunicorn
workers. This registers the `sqlite://<path>` scheme with the `limits` library; each hit is one
UPSERT, atomic across processes. The counters need no durability: synchronous=OFF, own file.
"""
import functools
import os
import sqlite3
import threading
import time

from flask import make_response, request
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import Storage

from collector.common import clock
from collector.common.extensions import limiter

SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
HIT = """
INSERT INTO counters (key, count, expires) VALUES (?1, ?2, ?3)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expires <= ?4 THEN excluded.count ELSE counters.count + excluded.count END,
    expires = CASE WHEN counters.expires <= ?4 THEN excluded.expires ELSE counters.expires END
RETURNING count
"""
PRUNE_EVERY = 1000  # hits between removals of expired counters


def uri_in(data_dir):
    """The storage URI of the counters' file in a data directory (importing this module registered sqlite://)."""
    return f"{SQLiteStorage.STORAGE_SCHEME[0]}://{os.path.abspath(data_dir)}/ratelimits.sqlite3"


class SQLiteStorage(Storage):
    """A `limits` storage shared by the processes that open the same file."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        self._local = threading.local()
        self._hits = 0

    @property
    def base_exceptions(self):
        """What a failing storage raises."""
        return sqlite3.Error

    def _db(self):
        local = self._local
        if getattr(local, "pid", None) != os.getpid():  # a connection never crosses a fork
            local.db = _open(self.path)
            local.pid = os.getpid()
        return local.db

    def incr(self, key, expiry, amount=1):
        """Add amount to key's counter (a new window when the old one expired); the new count."""
        now = clock.now()
        count = self._db().execute(HIT, (key, amount, now + expiry, now)).fetchone()[0]
        self._hits += 1
        if self._hits % PRUNE_EVERY == 0:
            self._db().execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return count

    def get(self, key):
        """key's count in its current window (0 when none)."""
        row = self._db().execute("SELECT count FROM counters WHERE key = ? AND expires > ?",
                                 (key, clock.now())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key):
        """When key's current window ends (now when it has none)."""
        row = self._db().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return max(row[0], clock.now()) if row else clock.now()

    def check(self):
        """True when the file answers."""
        try:
            self._db().execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self):
        """Forget every counter; how many there were."""
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key):
        """Forget one counter."""
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))


def _open(path, tries=50):
    """A connection to the counters' file, set up. Threads opening a new file at once race on
    `PRAGMA journal_mode = WAL`, which SQLite answers 'database is locked' without waiting, so
    the set-up is tried again (an analyst's login failed on it under load)."""
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    for attempt in range(tries):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
            db.execute(SCHEMA)
            return db
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.01)
    return db


def reserving(scope, limit, exempt, on_breach, kept):
    """A view decorator: each POST takes one of `limit()`'s places (counted per client and scope,
    shared by every view the scope decorates) in one atomic step before the view
    runs, and gives it back unless kept(response). (flask-limiter's deduct_when counts after the
    response, so simultaneous posts all passed its check first: 10/minute admitted 14-17 of 40.)"""
    def decorate(view):
        @functools.wraps(view)
        def limited(*args, **kwargs):
            if request.method != "POST" or exempt():
                return view(*args, **kwargs)
            item = parse(limit())
            who = (scope, get_remote_address())
            strategy = limiter.limiter
            if not strategy.hit(item, *who):
                # a refusal costs nothing
                strategy.storage.incr(item.key_for(*who), item.get_expiry(), amount=-1)
                return on_breach(item)
            response = make_response(view(*args, **kwargs))
            if not kept(response):
                strategy.storage.incr(item.key_for(*who), item.get_expiry(), amount=-1)
            return response
        return limited
    return decorate
