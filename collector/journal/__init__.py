"""The durable SQLite journal: every answer, its shipping state, and the FTS5 index."""
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from flask import current_app, g

from collector.common import lifecycle
from collector.common.slots import Slot
from collector.journal import audit, connections, schema, wipe, writes
from collector.journal.connections import PerThread, connect
from models import SurveyResponse

CONNECTIONS = Slot("journal_connections")
WRITER = Slot("journal_writer")
FIELDS = ("essay", "email", "client_ip", "submitted_at", "is_spam", "spam_score", "tags", "user_agent", "survey",
          "survey_version", "edit_key")
INSERT = (f"INSERT INTO responses (id, state, essay_hash, answers, edited_at, history, next_attempt, "
          f"{', '.join(FIELDS)}) SELECT ?, ?, ?, ?, ?, ?, ?{', ?' * len(FIELDS)}")
# answer_words rowids are seq * 64 + the text's position: an answer has at most 64 texts.
TEXTS_MAX = 64
# Only a capped survey pays for counting its answers, inside the insert's own write transaction.
UNDER_CAP = " WHERE (SELECT count(*) FROM responses WHERE survey = ?) < ?"


def init_app(app):
    """Create the data dir and schema; connections per thread, one writer thread for answers."""
    path = Path(app.config["DATA_DIR"]) / "journal.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    app.config["JOURNAL_PATH"] = str(path)
    db = connect(path)
    with writes.lock_for(str(path)).held():  # SQLite switches to WAL without waiting: workers starting at once
        db.execute("PRAGMA journal_mode = WAL")  # on a new journal would find it locked. Persistent for later ones.
    schema.create_or_upgrade(db)
    audit.mark_interrupted(db)  # exports and erasures of processes that ended without closing their entry
    if wipe.scrub_pending(str(path)):  # an erasure's process ended before its text left the disk
        wipe.finish(db, str(path))
    db.close()
    CONNECTIONS.put(app, PerThread(str(path)))
    WRITER.put(app, writes.GroupCommit(str(path), connect))
    app.teardown_appcontext(close_db)
    lifecycle.WORKER_EXIT.append(app, lambda seconds: _close_exports(app))
    lifecycle.register(app, "journal", delete, here=True)


def _close_exports(app):
    """At worker exit: exports this process was still streaming are interrupted, say so."""
    db = connect(app.config["JOURNAL_PATH"])
    try:
        audit.mark_interrupted(db, os.getpid())
    finally:
        db.close()


def close_connections(app):
    """Close every connection this process holds to the journal (they reopen when used)."""
    CONNECTIONS.of(app).close_all()
    WRITER.of(app).close()


def get_db():
    """This thread's journal connection (kept open across requests)."""
    if "journal" not in g:
        g.journal = CONNECTIONS.of().get()
    return g.journal


def close_db(exc=None):
    """End the request's use of its connection; finish an erasure's scrub if one waits."""
    db = g.pop("journal", None)
    if db is not None:
        connections.no_time_limit(db)  # the connection outlives the request that limited it
        if db.in_transaction:  # never hand the next request a transaction left open
            db.execute("ROLLBACK")
        if scrub_pending():  # the readers that held up an erasure's scrub may have ended
            wipe.scrub(db, current_app.config["JOURNAL_PATH"])


def insert(doc, state="pending", texts=None, cap=None):
    """Durably insert one answer, unless its survey already holds `cap`; True once fsync'd.

    texts: {question id: text} of the answer's text questions (default: the essay alone). The
    cap is checked inside the insert's own write transaction, so concurrent workers cannot
    overshoot it.
    """
    return WRITER.of().run(lambda db: insert_row(db, doc, state, texts, cap) is not None)


def insert_row(db, doc, state, texts=None, cap=None, next_attempt=0):
    """Insert one answer's row and its words inside the caller's write transaction; its seq, or None (cap)."""
    answers, words = _stored_answers(doc, texts)
    row = doc.to_dict()
    values = [row.get(f) for f in FIELDS]
    values[FIELDS.index("tags")] = json.dumps(row.get("tags", []))
    values[FIELDS.index("submitted_at")] = doc.submitted_at.isoformat(timespec="microseconds")
    values[FIELDS.index("email")] = row.get("email") or ""
    values[FIELDS.index("survey")] = survey = doc.survey or "survey"
    values[FIELDS.index("survey_version")] = doc.survey_version or 1
    edited = doc.edited_at.isoformat(timespec="microseconds") if doc.edited_at else None
    params = [doc.meta.id, state, essay_hash(doc.essay), json.dumps(answers), edited,
              json.dumps(row.get("history", [])), next_attempt, *values]
    sql, params = (INSERT + UNDER_CAP, [*params, survey, cap]) if cap is not None else (INSERT, params)
    inserted = db.execute(sql + " RETURNING seq", params).fetchone()
    if inserted and words:
        rows = [(inserted[0] * 64 + n, text, qid) for n, (qid, text) in enumerate(words)]
        db.executemany("INSERT INTO answer_words (rowid, body, question) VALUES (?, ?, ?)", rows)
        db.executemany("INSERT INTO answer_plain (rowid, body, question) VALUES (?, ?, ?)", rows)
    return inserted[0] if inserted else None


def _stored_answers(doc, texts):
    """(answers as stored, [(question, text)] for answer_words); a lone text answer is `true`."""
    answers = doc.answers.to_dict() if doc.answers else {"essay": doc.essay}
    given = [(qid, text) for qid, text in (texts or {"essay": doc.essay}).items() if text]
    if len(given) == 1 and given[0][1] == doc.essay:
        answers[given[0][0]] = True  # the same text as the essay column: stored once
        return answers, []
    if len(given) > TEXTS_MAX:  # surveys check refuses such a survey: never let one corrupt the index
        raise ValueError(f"An answer holds at most {TEXTS_MAX} texts, not {len(given)}.")
    return answers, given


def essay_hash(essay):
    """A short digest that finds repeated essays through an index."""
    return hashlib.blake2b(essay.encode(), digest_size=12).hexdigest()


def to_document(row):
    """Turn a journal row into a SurveyResponse."""
    return SurveyResponse.from_source(row["id"], to_source(row))


def to_source(row):
    """A journal row as the document's source (dates as ISO 8601 strings, as datetime writes them)."""
    source = {f: row[f] for f in FIELDS}
    source["submitted_at"] = datetime.fromisoformat(row["submitted_at"]).isoformat()
    source["tags"] = json.loads(source["tags"])
    source["is_spam"] = bool(source["is_spam"])
    source["email"] = source["email"] or None
    answers = json.loads(row["answers"])
    source["answers"] = {k: row["essay"] if v is True else v for k, v in answers.items()}
    if "edited_at" in row.keys() and row["edited_at"]:  # a spilled row has neither: only originals spill
        source.update(edited_at=datetime.fromisoformat(row["edited_at"]).isoformat(), history=json.loads(row["history"]))
    return source


def lone_text_question(row):
    """The question whose answer is the whole essay column (stored as true), or None."""
    return next((name for name, value in json.loads(row["answers"]).items() if value is True), None)


def count_for_survey(slug, state=None):
    """How many answers this journal holds for one survey (in one state, if given)."""
    return get_db().execute("SELECT count(*) FROM responses WHERE survey = ?1 AND (?2 IS NULL OR state = ?2)",
                            (slug, state)).fetchone()[0]


def fetch(doc_id):
    """One answer by id, or None."""
    row = get_db().execute("SELECT * FROM responses WHERE id = ?", (doc_id,)).fetchone()
    return to_document(row) if row else None


def delete(doc_ids, emails=()):
    """Erase answers from the journal and the disk under it (see wipe); how many it held. With none held
    here, old pages may still hold their ids (a queue's rows since deleted): the disk is scrubbed anyway.
    An email's answers are among the ids (the eraser found them by it), so emails need nothing more."""
    if doc_ids:
        return wipe.delete(get_db(), current_app.config["JOURNAL_PATH"], doc_ids)
    wipe.scrub(get_db(), current_app.config["JOURNAL_PATH"], wait_ms=500)
    return 0


def scrub_pending():
    """True while erased text may still be on disk (a reader kept the checkpoint from finishing)."""
    return wipe.scrub_pending(current_app.config["JOURNAL_PATH"])


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
    """How many rows wait here to be shipped (not those the spill store holds), and how many are dead letters."""
    db = db or get_db()
    pending = db.execute("SELECT count(*) FROM responses WHERE state = 'pending' AND spilled_at = 0").fetchone()[0]
    return {"pending": pending, "dead": db.execute("SELECT count(*) FROM responses WHERE state = 'dead'").fetchone()[0]}
