"""Bulk coding: one code for every answer a search matches, as one batch that can be undone."""
import json

from collector.coding import ACTIVE, ADD, queue_batch
from collector.coding.redaction import redacted
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.writes import transaction


def apply(db, code, response_ids, actor, params):
    """Give many answers a code in one step, as one undoable batch; returns (batch id, answers newly coded)."""
    with transaction(db):
        batch = db.execute("INSERT INTO code_batches (code_id, by, at, params, applied) VALUES (?, ?, ?, ?, 0) "
                           "RETURNING id", (code["id"], actor, clock.stamp(), json.dumps(params))).fetchone()[0]
        rows = [(i, code["id"], actor, clock.stamp(), 0, batch) for i in response_ids]
        before = db.total_changes
        db.executemany(ADD, rows)
        applied = db.total_changes - before
        db.execute("UPDATE code_batches SET applied = ? WHERE id = ?", (applied, batch))
        queue_batch(db, batch)
        audit.log_action(db, actor, "code.apply", applied, f"code:{code['name']}")
    return batch, applied


def undo(db, batch_id, actor):
    """Take a bulk application back: the answers it coded lose the code again; returns how many."""
    with transaction(db):
        batch = db.execute("SELECT * FROM code_batches WHERE id = ?", (batch_id,)).fetchone()
        if batch is None or batch["undone_at"]:
            raise UserError("That bulk coding does not exist or was undone already.", 404)
        count = db.execute(f"UPDATE codings AS c SET removed_at = ? WHERE batch = ? AND {ACTIVE}",
                           (clock.stamp(), batch_id)).rowcount
        db.execute("UPDATE code_batches SET undone_at = ?, undone_by = ? WHERE id = ?", (clock.stamp(), actor, batch_id))
        queue_batch(db, batch_id)
        audit.log_action(db, actor, "code.undo", count, f"batch:{batch_id}")
    return count


def latest(db, limit=10):
    """The latest bulk codings, newest first, with their code's name."""
    return db.execute("SELECT b.*, k.name FROM code_batches b LEFT JOIN codes k ON k.id = b.code_id "
                      "ORDER BY b.id DESC LIMIT ?", (limit,)).fetchall()


def redact_email(db, email):
    """After an erasure by email: no bulk batch's recorded search keeps the address."""
    with transaction(db):
        for batch_id, params in db.execute("SELECT id, params FROM code_batches").fetchall():
            if (changed := redacted(params, email)) is not None:
                db.execute("UPDATE code_batches SET params = ? WHERE id = ?", (changed, batch_id))
