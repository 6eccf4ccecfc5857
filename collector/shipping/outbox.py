"""The journal's shipping state (search mode): claim rows, mark each by its bulk item's fate.

These take an explicit connection: the shipper runs outside any request.
"""

from collector.common import clock
from collector.journal.writes import in_transaction, write
from models import tombstone_key


def claim(db, limit, lease, now, ignore_backoff=False):
    """Atomically lease up to `limit` due pending rows so no other worker ships them meanwhile."""
    due = float("inf") if ignore_backoff else now
    return write(db,
        "UPDATE responses SET claimed_until = ? WHERE seq IN (SELECT seq FROM responses"
        " WHERE state = 'pending' AND spilled_at = 0 AND next_attempt <= ? AND claimed_until <= ? ORDER BY seq LIMIT ?)"
        " RETURNING *",
        (now + lease, due, now, limit))


def claim_for_spill(db, limit, lease, now, submitted_before, ignore_leases=False):
    """Lease up to `limit` pending rows submitted before the cutoff (an ISO time) to copy them to the spill
    store. Never an edit: a spilled answer is drained with `create`, which leaves the version the index
    holds."""
    leased_until = float("inf") if ignore_leases else now
    return write(db,
        "UPDATE responses SET claimed_until = ? WHERE seq IN (SELECT seq FROM responses WHERE state = 'pending'"
        " AND spilled_at = 0 AND edited_at IS NULL AND submitted_at < ? AND claimed_until <= ? ORDER BY seq LIMIT ?)"
        " RETURNING *",
        (now + lease, submitted_before, leased_until, limit))


def mark_spilled(db, doc_ids, now):
    """The spill store confirmed it holds these rows: from now on its drain ships them."""
    sql = "UPDATE responses SET spilled_at = ?, claimed_until = 0 WHERE id = ? AND state = 'pending'"
    in_transaction(db, sql, [(now, i) for i in doc_ids])


def release(db, doc_ids):
    """Give up the lease on rows without changing anything else."""
    in_transaction(db, "UPDATE responses SET claimed_until = 0 WHERE id = ?", [(i,) for i in doc_ids])


def mark_shipped(db, doc_ids):
    """The index acknowledged these documents."""
    sql = "UPDATE responses SET state = 'shipped', claimed_until = 0, last_error = NULL WHERE id = ?"
    in_transaction(db, sql, [(i,) for i in doc_ids])


def mark_retry(db, retries):
    """Release (id, next_attempt, error) rows to be tried again later."""
    sql = (
        "UPDATE responses SET attempts = attempts + 1, next_attempt = ?, last_error = ?,"
        " claimed_until = 0 WHERE id = ? AND state = 'pending'"
    )
    in_transaction(db, sql, [(when, error, i) for i, when, error in retries])


def mark_dead(db, failures):
    """Park (id, reason) rows the index will never accept as they are."""
    sql = "UPDATE responses SET state = 'dead', attempts = attempts + 1, last_error = ?, claimed_until = 0 WHERE id = ?"
    in_transaction(db, sql, [(reason, i) for i, reason in failures])


def requeue_all(db):
    """Make every shipped or dead row pending again (re-sending is safe: each keeps its _id, and counts as
    sent once, so it ships guarded: never over a newer edit)."""
    requeued = write(db, "UPDATE responses SET state = 'pending', attempts = 1, next_attempt = 0, last_error = NULL, "
                         # under the write lock, committed
                         "claimed_until = 0 WHERE state != 'pending' RETURNING seq")
    return len(requeued)


def shipped_count(db):
    """How many rows count as already indexed."""
    return db.execute("SELECT count(*) FROM responses WHERE state = 'shipped'").fetchone()[0]


def dead_letters(db):
    """Every dead letter: id, attempts, reason."""
    return db.execute("SELECT id, attempts, last_error FROM responses WHERE state = 'dead' ORDER BY seq").fetchall()


def tombstones_due(db, now):
    """Erased ids whose in-flight shipment may have re-created them in the index by now."""
    return [r[0] for r in db.execute(
        "SELECT recheck_id FROM erased WHERE recheck_after > 0 AND recheck_after <= ? LIMIT 500", (now,))]


def tombstones_checked(db, doc_ids):
    """These erased ids are gone from the index for good."""
    in_transaction(db, "UPDATE erased SET recheck_after = 0, recheck_id = NULL WHERE id = tombstone_key(?)",
                   [(i,) for i in doc_ids])


def recheck_later(db, doc_ids, when):
    """Tombstone erased ids to be deleted from the index again at `when` (a drain may have them in flight)."""
    sql = ("INSERT INTO erased (id, at, recheck_after, recheck_id) VALUES (tombstone_key(?), ?, ?, ?) ON CONFLICT (id) "
           "DO UPDATE SET recheck_after = max(recheck_after, excluded.recheck_after), recheck_id = excluded.recheck_id")
    now = clock.stamp()
    in_transaction(db, sql, [(i, now, when, i) for i in doc_ids])


def erased_among(db, doc_ids):
    """Which of these ids were erased (a shipment in flight may have re-created them)."""
    by_key = {tombstone_key(i): i for i in doc_ids}
    marks = ", ".join("?" * len(by_key))
    return [by_key[r[0]] for r in db.execute(f"SELECT id FROM erased WHERE id IN ({marks})", list(by_key))]


def cursor(db, name):
    """How far this journal has read a fleet-wide list (epoch ms), 0 at first."""
    row = db.execute("SELECT at FROM cursors WHERE name = ?", (name,)).fetchone()
    return row[0] if row else 0


def move_cursor(db, name, at):
    """Remember how far the list was read (never backwards)."""
    write(db, "INSERT INTO cursors (name, at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET at = max(at, excluded.at)",
          (name, at))


def held_here(db, doc_ids):
    """{id: row with email and essay} of the answers among these ids that this journal holds."""
    marks = ", ".join("?" * len(doc_ids))
    rows = db.execute(f"SELECT id, email, essay FROM responses WHERE id IN ({marks})", list(doc_ids)) if doc_ids else []
    return {row["id"]: row for row in rows}
