"""The durable SQLite journal: every answer, its shipping state, and the FTS5 index."""
import hashlib
import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app, g

from collector import audit
from models import SurveyResponse

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    essay TEXT NOT NULL,
    email TEXT NOT NULL,
    client_ip TEXT,
    submitted_at TEXT NOT NULL,
    is_spam INTEGER NOT NULL DEFAULT 0,
    spam_score REAL NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    user_agent TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'shipped', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt REAL NOT NULL DEFAULT 0,
    claimed_until REAL NOT NULL DEFAULT 0,
    essay_hash TEXT
);
CREATE INDEX IF NOT EXISTS responses_submitted ON responses (submitted_at);
CREATE INDEX IF NOT EXISTS responses_email ON responses (email);
CREATE INDEX IF NOT EXISTS responses_client_ip ON responses (client_ip);
CREATE INDEX IF NOT EXISTS responses_essay_hash ON responses (essay_hash, submitted_at);
CREATE INDEX IF NOT EXISTS responses_spam ON responses (is_spam);
CREATE INDEX IF NOT EXISTS responses_state ON responses (state, next_attempt);
CREATE VIRTUAL TABLE IF NOT EXISTS essays USING fts5 (
    essay, content='responses', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS erased (id TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS responses_ai AFTER INSERT ON responses BEGIN
    INSERT INTO essays (rowid, essay) VALUES (new.seq, new.essay);
END;
CREATE TRIGGER IF NOT EXISTS responses_ad AFTER DELETE ON responses BEGIN
    INSERT INTO essays (essays, rowid, essay) VALUES ('delete', old.seq, old.essay);
END;
"""
FIELDS = ("essay", "email", "client_ip", "submitted_at", "is_spam", "spam_score", "tags", "user_agent")


def connect(path):
    """Open a journal connection in autocommit mode with durable commits."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA secure_delete = ON")  # erased answers leave zeros, not readable pages
    return db


def init_app(app):
    """Create the data dir and schema, and close request connections at teardown."""
    path = Path(app.config["DATA_DIR"]) / "journal.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    app.config["JOURNAL_PATH"] = str(path)
    db = connect(path)
    db.execute("PRAGMA journal_mode = WAL")  # persistent: every later connection uses WAL
    columns = {row["name"] for row in db.execute("PRAGMA table_info(responses)")}
    if columns and "essay_hash" not in columns:
        db.execute("ALTER TABLE responses ADD COLUMN essay_hash TEXT")  # journals from before it existed
    db.executescript(SCHEMA + audit.SCHEMA)
    db.close()
    app.teardown_appcontext(close_db)


def _keep_open(app):
    # The last connection to close checkpoints and deletes the WAL (an fsync per request):
    # one idle connection per process keeps request connections from ever being the last.
    pid, _ = app.extensions.get("journal_keeper", (None, None))
    if pid != os.getpid():
        app.extensions["journal_keeper"] = (os.getpid(), connect(app.config["JOURNAL_PATH"]))


def get_db():
    """The request's journal connection, opened on first use."""
    if "journal" not in g:
        _keep_open(current_app)
        g.journal = connect(current_app.config["JOURNAL_PATH"])
    return g.journal


def close_db(exc=None):
    """Close the request's connection, if one was opened."""
    db = g.pop("journal", None)
    if db is not None:
        db.close()


def insert(doc, state="pending"):
    """Durably insert one answer; returns only after the commit is fsync'd."""
    row = doc.to_dict()
    values = [row.get(f) for f in FIELDS]
    values[FIELDS.index("tags")] = json.dumps(row.get("tags", []))
    values[FIELDS.index("submitted_at")] = doc.submitted_at.isoformat(timespec="microseconds")
    get_db().execute(
        f"INSERT INTO responses (id, state, essay_hash, {', '.join(FIELDS)}) VALUES (?, ?, ?{', ?' * len(FIELDS)})",
        [doc.meta.id, state, essay_hash(doc.essay), *values],
    )


def essay_hash(essay):
    """A short digest that finds repeated essays through an index."""
    return hashlib.blake2b(essay.encode(), digest_size=12).hexdigest()


def to_document(row):
    """Turn a journal row into a SurveyResponse."""
    source = {f: row[f] for f in FIELDS}
    source["tags"] = json.loads(source["tags"])
    source["is_spam"] = bool(source["is_spam"])
    return SurveyResponse.from_source(row["id"], source)


def fetch(doc_id):
    """One answer by id, or None."""
    row = get_db().execute("SELECT * FROM responses WHERE id = ?", (doc_id,)).fetchone()
    return to_document(row) if row else None


def delete(doc_ids):
    """Erase answers: tombstone, delete (the trigger updates FTS), purge leftovers; returns how many."""
    db, now = get_db(), datetime.now(timezone.utc).isoformat(timespec="seconds")
    in_transaction(db, "INSERT OR IGNORE INTO erased (id, at) VALUES (?, ?)", [(i, now) for i in doc_ids])
    marks = ", ".join("?" * len(doc_ids))
    count = db.execute(f"DELETE FROM responses WHERE id IN ({marks})", list(doc_ids)).rowcount
    db.execute("INSERT INTO essays (essays) VALUES ('optimize')")  # drop deleted terms from old segments
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and the old page images from the WAL
    return count


def ids_for_email(email):
    """Ids of every answer in this journal from one email address."""
    return [r[0] for r in get_db().execute("SELECT id FROM responses WHERE email = ?", (email,))]


def seen_recently(essay, email, client_ip, since):
    """True when the same essay came from this email or address since `since`."""
    row = get_db().execute(
        "SELECT 1 FROM responses WHERE essay_hash = ? AND submitted_at >= ? AND essay = ?"
        " AND (email = ? OR client_ip = ?) LIMIT 1",
        (essay_hash(essay), since.isoformat(timespec="microseconds"), essay, email, client_ip),
    ).fetchone()
    return row is not None


def counts(db=None):
    """How many rows wait to be shipped and how many are dead letters."""
    sql = "SELECT count(*) FROM responses WHERE state = ?"
    db = db or get_db()
    return {s: db.execute(sql, (s,)).fetchone()[0] for s in ("pending", "dead")}


def writable():
    """True when a write transaction can be opened right now."""
    try:
        db = sqlite3.connect(current_app.config["JOURNAL_PATH"], timeout=2, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
        finally:
            db.close()
        return True
    except sqlite3.Error:
        return False


def in_transaction(db, sql, rows):
    """Run one statement over many rows in a single transaction (one fsync)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(sql, rows)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
