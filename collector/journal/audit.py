"""Audit trail of what analysts do (exports, erasures, coding, codebook and round changes, sign-ins): who,
when, what kind, how many; never the content.

An export is recorded when it starts and kept current while it runs, so one cut short by a
disconnect, an error or a shutdown still leaves its row: completed, cancelled, failed, or
interrupted (the worker ended first), with the number of answers sent so far.
"""
import logging
import os
import uuid

from flask import has_app_context

from collector.common import clock
from collector.common.slots import Slot
from collector.journal.writes import in_transaction, write

log = logging.getLogger("audit")
SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    count INTEGER NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'done',
    pid INTEGER,
    uid TEXT,
    rev INTEGER NOT NULL DEFAULT 1,
    shipped_rev INTEGER NOT NULL DEFAULT 0,
    role TEXT
);
CREATE INDEX IF NOT EXISTS audit_unshipped ON audit_log (seq) WHERE shipped_rev < rev;
UPDATE audit_log SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
"""
# uid names an entry across the fleet; rev > shipped_rev: the domain has not got this version yet.
ADDED_COLUMNS = [("status", "TEXT NOT NULL DEFAULT 'done'"), ("pid", "INTEGER"), ("uid", "TEXT"),
                 ("rev", "INTEGER NOT NULL DEFAULT 1"), ("shipped_rev", "INTEGER NOT NULL DEFAULT 0"), ("role", "TEXT")]
COLUMNS = "seq, uid, rev, at, actor, role, action, count, scope, status"
# The actor's role when they acted: accounts registers how to find it (None from the command line).
ROLE_OF = Slot("audit_role_of")
SAVE_EVERY = 200  # answers between updates of a running export's count


def log_action(db, actor, action, count, scope, status="done"):
    """Append one entry; scope names the filters used (e.g. 'email'), never their values."""
    role = _role_of(actor)
    ((seq,),) = write(db, "INSERT INTO audit_log (at, actor, role, action, count, scope, status, pid, uid) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                      (clock.stamp("microseconds"), actor, role, action, count, scope, status, os.getpid(),
                       uuid.uuid4().hex))
    log.info("audit", extra={"actor": actor, "role": role, "action": action, "count": count, "scope": scope,
                             "status": status})
    return seq


def _role_of(actor):
    finder = ROLE_OF.find() if has_app_context() else None
    return finder(actor) if finder else None


def close(db, seq, status, scope=None):
    """Give an entry written as 'started' how it ended (and, if given, its final scope)."""
    write(db, "UPDATE audit_log SET status = ?, scope = coalesce(?, scope), rev = rev + 1 WHERE seq = ?",
          (status, scope, seq))
    log.info("audit", extra={"seq": seq, "status": status})


class Recorded:
    """An export's audit entry: written at the start, kept current, closed however the export ends.

    db must be a connection of its own, closed here at the end: the export's scan holds a read
    snapshot on its connection, and a write there fails once anything else has written.
    """

    def __init__(self, db, actor, action, scope):
        self.db = db
        self.actor = actor
        self.action = action
        self.scope = scope
        self.seq = None
        self.count = 0
        self.saved = 0

    def __enter__(self):
        self.seq = log_action(self.db, self.actor, self.action, 0, self.scope, status="started")
        return self

    def sent(self, count):
        """Note how many answers have gone out; saved every SAVE_EVERY."""
        self.count = count
        if count - self.saved >= SAVE_EVERY:
            write(self.db, "UPDATE audit_log SET count = ?, rev = rev + 1 WHERE seq = ?", (count, self.seq))
            self.saved = count

    def __exit__(self, kind, error, traceback):
        stopped = kind is not None and issubclass(kind, (GeneratorExit, KeyboardInterrupt))
        status = "completed" if kind is None else "cancelled" if stopped else "failed"
        try:
            write(self.db, "UPDATE audit_log SET count = ?, status = ?, rev = rev + 1 WHERE seq = ?",
                  (self.count, status, self.seq))
        finally:
            self.db.close()
        log.info("audit", extra={"actor": self.actor, "action": self.action, "count": self.count,
                                 "scope": self.scope, "status": status})
        return False


def mark_interrupted(db, pid=None):
    """Close exports left 'started' by this process (pid) or by processes that no longer run."""
    rows = db.execute("SELECT DISTINCT pid FROM audit_log WHERE status = 'started'").fetchall()
    gone = [row[0] for row in rows if row[0] == pid or not _alive(row[0])]
    for dead in gone:
        write(db, "UPDATE audit_log SET status = 'interrupted', rev = rev + 1 WHERE status = 'started' AND pid IS ?",
              (dead,))
    return len(gone)


def _alive(pid):
    """True while process pid runs; a zombie (exited, not yet reaped) runs no code any more."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except (OSError, TypeError):
            return False
        return True


def entries(db):
    """Every entry, oldest first."""
    return db.execute("SELECT at, actor, action, count, scope, status FROM audit_log ORDER BY seq").fetchall()


def latest(db, action=None, actor=None, limit=200):
    """Entries newest first, optionally of one action and one analyst, as dicts."""
    rows = db.execute(f"SELECT {COLUMNS} FROM audit_log WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR actor = ?2) "
                      "ORDER BY seq DESC LIMIT ?3", (action or None, actor or None, limit))
    return [dict(row) for row in rows]


def unshipped(db, limit):
    """Entries whose latest version the domain has not got yet, oldest first."""
    return db.execute(f"SELECT {COLUMNS} FROM audit_log WHERE shipped_rev < rev ORDER BY seq LIMIT ?",
                      (limit,)).fetchall()


def mark_shipped(db, versions):
    """The domain holds these (seq, rev) versions of entries."""
    in_transaction(db, "UPDATE audit_log SET shipped_rev = max(shipped_rev, ?2) WHERE seq = ?1", versions)
