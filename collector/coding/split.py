"""Splitting a code in the journal (embedded mode): some of its answers (a search within it) move
to a new code, in one transaction recorded in code_splits, so that an undo puts them back exactly
and takes the new code away."""
import json

from collector.coding import ACTIVE, ADD, find_code, queue_answer
from collector.coding.merge import TAKE_OFF
from collector.coding.names import checked_name
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.writes import transaction


def split(db, source, name, answer_ids, actor):
    """Move the source's codings of these answers to a new code called name; (split id, answers moved)."""
    name = checked_name(name)
    with transaction(db):
        if find_code(db, name):
            raise UserError(f"A code called '{name}' exists already.", 409)
        new_id = db.execute("INSERT INTO codes (name, description, created_by, created_at, parent) VALUES (?, ?, ?, ?, "
                            # beside the code it came from
                            "(SELECT parent FROM codes WHERE id = ?)) RETURNING id",
                            (name, "", actor, clock.stamp(), source["id"])).fetchone()[0]
        wanted = list(answer_ids)
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows += db.execute(f"SELECT response_id, by, at, auto FROM codings c WHERE code_id = ? AND {ACTIVE} "
                               f"AND response_id IN ({', '.join('?' * len(chunk))})", [source["id"], *chunk]).fetchall()
        db.executemany(ADD, [(r["response_id"], new_id, r["by"], r["at"], r["auto"], None) for r in rows])
        db.executemany(TAKE_OFF, [(clock.stamp(), r["response_id"], source["id"]) for r in rows])
        for row in rows:
            queue_answer(db, row["response_id"])
        split_id = db.execute("INSERT INTO code_splits (source_id, new_id, by, at, codings) VALUES (?, ?, ?, ?, ?) "
                              "RETURNING id", (source["id"], new_id, actor, clock.stamp(),
                                               json.dumps([list(row) for row in rows]))).fetchone()[0]
        audit.log_action(db, actor, "code.split", len(rows), f"code:{source['name']}->{name}")
    return split_id, len(rows)


def refuse_if_grown(name, since):
    """UserError 409 when the split's new code (`name`, None once deleted) was given to more answers since
    the split: undoing it takes the code away, and would take an analyst's later work with it."""
    if name and since:
        raise UserError(f"'{name}' was given to {len(since)} more answer{'' if len(since) == 1 else 's'} since the "
                        "split: undoing it would take that away too. Take the code off them, or merge it back.", 409)


def undo(db, split_id, actor):
    """Put the moved answers back under the source code and take the new code away; how many moved back."""
    with transaction(db):
        done = db.execute("SELECT s.*, k.name FROM code_splits s LEFT JOIN codes k ON k.id = s.source_id "
                          "WHERE s.id = ? AND s.undone_at IS NULL", (split_id,)).fetchone()
        if done is None:
            raise UserError("That split does not exist or was undone already.", 404)
        if done["name"] is None:
            raise UserError("The code that was split has been deleted since: there is nothing to put back.", 409)
        codings = json.loads(done["codings"])
        new = db.execute("SELECT name FROM codes WHERE id = ?", (done["new_id"],)).fetchone()
        refuse_if_grown(new and new[0], {
            answer for (answer,) in db.execute(f"SELECT response_id FROM codings c WHERE code_id = ? AND {ACTIVE}",
                                               (done["new_id"],))} - {answer for answer, *_ in codings})
        db.executemany(ADD, [(answer, done["source_id"], by, at, auto, None) for answer, by, at, auto in codings])
        for (answer,) in db.execute(f"SELECT response_id FROM codings c WHERE code_id = ? AND {ACTIVE}",
                                    (done["new_id"],)).fetchall():
            queue_answer(db, answer)
        db.execute(f"UPDATE codings AS c SET removed_at = ? WHERE code_id = ? AND {ACTIVE}", (clock.stamp(), done["new_id"]))
        db.execute("DELETE FROM codes WHERE id = ?", (done["new_id"],))
        db.execute("UPDATE saved_searches SET code_id = NULL WHERE code_id = ?", (done["new_id"],))
        db.execute("UPDATE code_splits SET undone_at = ?, undone_by = ? WHERE id = ?", (clock.stamp(), actor, split_id))
        audit.log_action(db, actor, "code.unsplit", len(codings), f"code:{done['name']}")
    return len(codings)
