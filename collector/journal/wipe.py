"""Erasing answers from the journal and from the disk under it: tombstones, FTS merges, WAL scrub.

SQLite keeps old page images in the WAL (and old pages in the file) until a checkpoint copies
the new ones over them; secure_delete zeroes what a delete frees. So an erasure is only done
on disk once a checkpoint has completed and the WAL was truncated. A reader (an export
streaming) can hold that up: a marker file beside the journal says a scrub is still owed.
"""
import json
from pathlib import Path

from collector.common import clock
from collector.journal.writes import in_transaction, transaction, write


def delete(db, journal_path, doc_ids):
    """Tombstone and delete answers (triggers update the FTS tables), then scrub; returns how many."""
    now = clock.stamp()
    marks = ", ".join("?" * len(doc_ids))
    _marker(journal_path).touch()  # before the commit: a process killed after it still owes the scrub
    # tombstone and delete in one commit; a row leased by a shipper is checked again later
    with transaction(db):
        db.executemany("INSERT OR IGNORE INTO erased (id, at) VALUES (tombstone_key(?), ?)", [(i, now) for i in doc_ids])
        db.execute(f"UPDATE erased SET recheck_after = r.claimed_until, recheck_id = r.id FROM responses r "
                   f"WHERE erased.id = tombstone_key(r.id) AND r.claimed_until > ? AND r.id IN ({marks})",
                   [clock.now(), *doc_ids])
        count = db.execute(f"DELETE FROM responses WHERE id IN ({marks})", list(doc_ids)).rowcount
        # An erased answer's codes go with it, and what reliability rounds and memos said of it.
        for table in ("codings", "code_changes", "round_codings", "round_decisions", "suggestion_decisions"):
            db.execute(f"DELETE FROM {table} WHERE response_id IN ({marks})", list(doc_ids))
        db.execute(f"DELETE FROM memos WHERE target IN ({marks})", [f"answer:{i}" for i in doc_ids])
        # A change the respondent began holds the answer's text too.
        db.execute(f"DELETE FROM drafts WHERE json_extract(extra, '$.edit_of') IN ({marks})", list(doc_ids))
        for statement in FORGET_IN_RECORDS:
            db.execute(statement, {"gone": json.dumps(list(doc_ids))})
    finish(db, journal_path, wait_ms=500)
    return count


# Records that list answers among other things (JSON): an undo, a code's examples or a round's units must
# never bring an erased answer's id back. Each list keeps the other answers, in order.
KEPT = "SELECT json_group_array({value}) FROM json_each({column}) WHERE {id} NOT IN (SELECT value FROM json_each(:gone))"
NAMES = "EXISTS (SELECT 1 FROM json_each({column}) WHERE {id} IN (SELECT value FROM json_each(:gone)))"
FORGET_IN_RECORDS = [
    "UPDATE code_merges SET codings = ({}), moved = ({}) WHERE {} OR {}".format(
        KEPT.format(value="json(value)", column="codings", id="json_extract(value, '$[0]')"),
        KEPT.format(value="value", column="moved", id="value"),
        NAMES.format(column="codings", id="json_extract(value, '$[0]')"), NAMES.format(column="moved", id="value")),
    "UPDATE code_merges SET tree = json_set(tree, '$.examples', json(({}))) WHERE {}".format(
        KEPT.format(value="value", column="tree, '$.examples'", id="value"),
        NAMES.format(column="tree, '$.examples'", id="value")),
    "UPDATE code_splits SET codings = ({}) WHERE {}".format(
        KEPT.format(value="json(value)", column="codings", id="json_extract(value, '$[0]')"),
        NAMES.format(column="codings", id="json_extract(value, '$[0]')")),
    "UPDATE codes SET examples = ({}) WHERE {}".format(
        KEPT.format(value="value", column="examples", id="value"), NAMES.format(column="examples", id="value")),
    "UPDATE rounds SET units = ({}) WHERE {}".format(
        KEPT.format(value="value", column="units", id="value"), NAMES.format(column="units", id="value")),
]


def finish(db, journal_path, wait_ms=0):
    """Merge the FTS segments (dropping deleted terms from old ones), then scrub; at start-up too,
    when the marker says an erasure's process ended before it could."""
    for table in ("essays", "answer_words", "plain_words", "answer_plain"):
        write(db, f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    return scrub(db, journal_path, wait_ms)


def _marker(journal_path):
    return Path(journal_path).with_name("scrub-pending")


def scrub(db, journal_path, wait_ms=0):
    """Copy the WAL into the file and truncate it; True when done (then the marker goes).

    Waits for readers at most wait_ms: SQLite would wait the connection's whole busy timeout.
    """
    previous = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(previous)}")
    if not busy:
        _marker(journal_path).unlink(missing_ok=True)
    return not busy


def scrub_pending(journal_path):
    """True while erased text may still be on disk (a reader kept the checkpoint from finishing)."""
    return _marker(journal_path).exists()


def erased_keys(db):
    """The tombstone key of every answer this journal has erased, oldest first."""
    return [row[0] for row in db.execute("SELECT id FROM erased ORDER BY at, id")]


def known_keys(db, keys):
    """Which of these tombstone keys this journal holds already."""
    marks = ", ".join("?" * len(keys))
    return {row[0] for row in db.execute(f"SELECT id FROM erased WHERE id IN ({marks})", list(keys))} if keys else set()


def held_for_keys(db, keys):
    """Ids of this journal's answers whose tombstone key is among these (a scan: only when new ones come)."""
    marks = ", ".join("?" * len(keys))
    return [row[0] for row in db.execute(f"SELECT id FROM responses WHERE tombstone_key(id) IN ({marks})",
                                         list(keys))] if keys else []


def remember_keys(db, keys, at):
    """Keep the fleet's tombstones of answers this journal never held, so they are looked at once."""
    in_transaction(db, "INSERT OR IGNORE INTO erased (id, at) VALUES (?, ?)", [(key, at) for key in keys])
