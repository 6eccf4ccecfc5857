"""The codebook and one answer's codings in the journal: the embedded mode's coding store (through
coding.stores.JournalCoding; search mode keeps them in the domain, coding/fleet_*.py).

Every change is one journal transaction with its audit entry. Where the journal's codings meet an
index (`flask workspace migrate` reads them; bench/workspace_cost.py measures them as "before"),
the answers whose codes changed are queued in code_changes, in the same transaction.
"""
import json

from collector.coding import index_sync, tree
from collector.coding.names import DESCRIPTION_MAX, NAME_MAX, checked_name, renamed_meanwhile, renamed_params
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.writes import transaction
from collector.search.query import fold

ACTIVE = "c.removed_at IS NULL"


def queue_answer(db, response_id):
    """The index must learn this answer's codes again."""
    index_sync.queue_where(db, "c.response_id = ?", (response_id,))


def queue_code(db, code_id):
    """... every answer that has this code (it was renamed or deleted)."""
    index_sync.queue_where(db, f"c.code_id = ? AND {ACTIVE}", (code_id,))


def queue_batch(db, batch_id):
    """... every answer a bulk batch coded (applied or undone)."""
    index_sync.queue_where(db, "c.batch = ?", (batch_id,))


def queue_auto_coded(db, code_id, after_seq, through_seq):
    """... every answer a saved search coded among the journal's answers after_seq < seq <= through_seq."""
    index_sync.queue_where(db, "c.code_id = ? AND c.response_id IN (SELECT id FROM responses WHERE seq > ? AND seq <= ?)",
                           (code_id, after_seq, through_seq))


def known_names(db):
    """{lowercase name: name} of every code, for checking code= filters."""
    return {fold(name): name for (name,) in db.execute("SELECT name FROM codes")}


def as_code(row):
    """A codes row as the coding stores give a code: a dict, its examples a list."""
    return row and dict(row) | {"examples": json.loads(row["examples"])}


def find_code(db, name):
    """The code with this name (any case, any Unicode normal form), or None."""
    wanted = fold(" ".join(str(name).split()))
    return as_code(next((c for c in db.execute("SELECT * FROM codes ORDER BY id") if fold(c["name"]) == wanted), None))


def code_by_id(db, code_id):
    """One code by its id, or None."""
    return as_code(db.execute("SELECT * FROM codes WHERE id = ?", (code_id,)).fetchone())


def code_named(db, name):
    """The code with this name, or UserError 404."""
    code = find_code(db, name)
    if code is None:
        raise UserError(f"There is no code called '{str(name)[:NAME_MAX]}'.", 404)
    return code


def code_tree(db):
    """({code id: parent id or None}, {code id: name})."""
    rows = db.execute("SELECT id, parent, name FROM codes").fetchall()
    return {r["id"]: r["parent"] for r in rows}, {r["id"]: r["name"] for r in rows}


def create_code(db, name, description, actor, parent=None):
    """Add a code to the codebook (under parent, a code, if given); 409 when the name exists in any case."""
    name, description = checked_name(name), str(description or "").strip()[:DESCRIPTION_MAX]
    with transaction(db):
        if find_code(db, name):
            raise UserError(f"A code called '{name}' exists already.", 409)
        if parent is not None and code_by_id(db, parent["id"]) is None:
            raise UserError(f"The code '{parent['name']}' was deleted a moment ago.", 404)
        tree.check_level(*code_tree(db), parent and parent["id"])
        code = as_code(db.execute("INSERT INTO codes (name, description, created_by, created_at, parent) "
                                  "VALUES (?, ?, ?, ?, ?) RETURNING *",
                                  (name, description, actor, clock.stamp(), parent and parent["id"])).fetchone())
        audit.log_action(db, actor, "code.create", 0, f"code:{name}")
    return code


def edit_code(db, code, name, description, actor):
    """Rename and/or describe a code; answers keep it (the index learns the new name)."""
    name = checked_name(name)
    # None: as it is now
    description = None if description is None else str(description).strip()[:DESCRIPTION_MAX]
    with transaction(db):
        now_named = db.execute("SELECT name FROM codes WHERE id = ?", (code["id"],)).fetchone()
        if now_named is None:
            raise UserError("That code was deleted a moment ago.", 404)
        if now_named[0] != code["name"]:
            raise UserError(renamed_meanwhile(code["name"], now_named[0]), 409)
        other = find_code(db, name)
        if other and other["id"] != code["id"]:
            raise UserError(f"A code called '{name}' exists already.", 409)
        db.execute("UPDATE codes SET name = ?, description = coalesce(?, description) WHERE id = ?",
                   (name, description, code["id"]))
        if name != code["name"]:
            queue_code(db, code["id"])
            _rename_in_saved_searches(db, code["name"], name)
        audit.log_action(db, actor, "code.edit", 0, f"code:{code['name']}->{name}")
    return find_code(db, name)


def _rename_in_saved_searches(db, old, new):
    """Saved searches that filter by the code follow its new name."""
    for saved_id, params in db.execute("SELECT id, params FROM saved_searches").fetchall():
        db.execute("UPDATE saved_searches SET params = ? WHERE id = ?", (renamed_params(params, old, new), saved_id))


def delete_code(db, code, actor):
    """Remove a code from the codebook and from every answer; returns how many answers had it."""
    with transaction(db):
        queue_code(db, code["id"])
        count = db.execute(f"UPDATE codings AS c SET removed_at = ? WHERE code_id = ? AND {ACTIVE}",
                           (clock.stamp(), code["id"])).rowcount
        db.execute("UPDATE codes SET parent = (SELECT parent FROM codes WHERE id = ?1) WHERE parent = ?1",
                   (code["id"],))  # the codes under it move up one level
        db.execute("DELETE FROM codes WHERE id = ?", (code["id"],))
        db.execute("UPDATE saved_searches SET code_id = NULL WHERE code_id = ?", (code["id"],))
        # what was said of it goes with it
        db.execute("DELETE FROM memos WHERE target = ?", (f"code:{code['id']}",))
        db.execute("DELETE FROM suggestion_decisions WHERE code_id = ?", (code["id"],))
        audit.log_action(db, actor, "code.delete", count, f"code:{code['name']}")
    return count


ADD = ("INSERT INTO codings (response_id, code_id, by, at, auto, batch, seq) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT seq FROM responses WHERE id = ?1)) "
       "ON CONFLICT (response_id, code_id) DO UPDATE SET by = excluded.by, at = excluded.at, auto = excluded.auto, "
       "batch = excluded.batch, removed_at = NULL WHERE removed_at IS NOT NULL")


def change_codes(db, response_id, add, remove, actor):
    """Add and remove codes (by name) on one answer; returns its codes afterwards."""
    adding = [code_named(db, n) for n in add]
    removing = [code_named(db, n) for n in remove]
    with transaction(db):
        for code in adding:
            db.execute(ADD, (response_id, code["id"], actor, clock.stamp(), 0, None))
        for code in removing:
            db.execute(f"UPDATE codings AS c SET removed_at = ? WHERE response_id = ? AND code_id = ? AND {ACTIVE}",
                       (clock.stamp(), response_id, code["id"]))
        queue_answer(db, response_id)
        audit.log_action(db, actor, "code.answer", 1, "id")  # the audit counts answers: one
    return codes_for(db, [response_id]).get(response_id, [])


def codes_for(db, response_ids):
    """{answer id: [code names, sorted]} for the answers that have any."""
    found = {}
    ids = list(response_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = db.execute(f"SELECT c.response_id, k.name FROM codings c JOIN codes k ON k.id = c.code_id "
                          f"WHERE {ACTIVE} AND c.response_id IN ({', '.join('?' * len(chunk))}) ORDER BY k.name",
                          chunk)
        for response_id, name in rows:
            found.setdefault(response_id, []).append(name)
    return found


def codings_of(db, response_id):
    """One answer's codes with who gave each, when, and whether automatically."""
    return codings_for(db, [response_id]).get(response_id, [])


def codings_for(db, response_ids):
    """{answer id: its codes with who gave each, when, whether automatically} for the answers that have any."""
    found = {}
    marks = ", ".join("?" * len(response_ids))
    for row in db.execute(f"SELECT c.response_id, k.name, c.by, c.at, c.auto FROM codings c JOIN codes k ON "
                          f"k.id = c.code_id WHERE c.response_id IN ({marks}) AND {ACTIVE} ORDER BY k.name", response_ids):
        found.setdefault(row["response_id"], []).append({key: row[key] for key in ("name", "by", "at", "auto")})
    return found
