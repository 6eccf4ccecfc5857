"""Merging one code into another in the journal (embedded mode): the source's codings move to the
target, saved searches follow, the source is gone; one transaction, recorded in code_merges with
what undoing it needs, so that an undo gives back exactly the codings and searches there were."""
import json

from collector.coding import ACTIVE, ADD, code_by_id, find_code, queue_answer, queue_code, tree
from collector.coding.hierarchy import code_tree
from collector.coding.names import renamed_params
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.writes import transaction

TAKE_OFF = f"UPDATE codings AS c SET removed_at = ? WHERE response_id = ? AND code_id = ? AND {ACTIVE}"


def merge(db, source, target, actor):
    """Merge source into target; returns (merge id, answers that had the source)."""
    with transaction(db):
        check_merge(code_tree(db)[0], source, target)
        rows = db.execute(f"SELECT response_id, by, at, auto, batch FROM codings c WHERE code_id = ? AND {ACTIVE}",
                          (source["id"],)).fetchall()
        had = {r[0] for r in db.execute(f"SELECT response_id FROM codings c WHERE code_id = ? AND {ACTIVE}",
                                        (target["id"],))}
        moved = [row for row in rows if row["response_id"] not in had]
        db.executemany(ADD, [(r["response_id"], target["id"], r["by"], r["at"], r["auto"], None) for r in moved])
        queue_code(db, source["id"])
        db.execute(f"UPDATE codings AS c SET removed_at = ? WHERE code_id = ? AND {ACTIVE}", (clock.stamp(), source["id"]))
        saved = _follow(db, source, target)
        kept = code_by_id(db, source["id"])  # as it is now: its place in the tree and its definitions
        kept["children"] = [i for (i,) in db.execute("SELECT id FROM codes WHERE parent = ?", (source["id"],))]
        db.execute("UPDATE codes SET parent = ? WHERE parent = ?", (target["id"], source["id"]))
        db.execute("DELETE FROM codes WHERE id = ?", (source["id"],))
        merge_id = db.execute(
            "INSERT INTO code_merges (source_id, source_name, source_description, target_id, by, at, codings, moved, "
            "saved, tree) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (source["id"], source["name"], source["description"], target["id"], actor, clock.stamp(),
             json.dumps([list(row) for row in rows]), json.dumps([r["response_id"] for r in moved]),
             json.dumps(saved), json.dumps(kept))).fetchone()[0]
        audit.log_action(db, actor, "code.merge", len(rows), f"code:{source['name']}->{target['name']}")
    return merge_id, len(rows)


def check_merge(parents, source, target):
    """UserError 400 for a merge that cannot be: into itself, or into a code under it (a cycle)."""
    if source["id"] == target["id"]:
        raise UserError("A code cannot be merged into itself.")
    if target["id"] in tree.family(parents, source["id"]):
        raise UserError(f"'{target['name']}' sits under '{source['name']}': move it out first, or merge the other way.")
    # the codes under the source go under the target
    names = {source["id"]: source["name"], target["id"]: target["name"]}
    tree.check_level(parents, names, target["id"], tree.levels_in(parents, source["id"]) - 1,
                     f"A code under '{source['name']}'")


def _follow(db, source, target):
    """Saved searches that give or filter by the source now do so by the target; [[id, code_id, params]] before."""
    before = []
    for row in db.execute("SELECT id, code_id, params FROM saved_searches").fetchall():
        params = renamed_params(row["params"], source["name"], target["name"])
        if row["code_id"] == source["id"] or params != row["params"]:
            before.append([row["id"], row["code_id"], row["params"]])
            code_id = target["id"] if row["code_id"] == source["id"] else row["code_id"]
            db.execute("UPDATE saved_searches SET code_id = ?, params = ? WHERE id = ?", (code_id, params, row["id"]))
    return before


def undo(db, merge_id, actor):
    """Give back the merged code, its codings and saved searches; returns how many answers have it again."""
    with transaction(db):
        done = db.execute("SELECT * FROM code_merges WHERE id = ? AND undone_at IS NULL", (merge_id,)).fetchone()
        if done is None:
            raise UserError("That merge does not exist or was undone already.", 404)
        if find_code(db, done["source_name"]):
            raise UserError(f"A code called '{done['source_name']}' exists again: rename it, then undo.", 409)
        code_id = _restore_code(db, done, actor)
        codings = json.loads(done["codings"])  # [answer, by, at, auto, batch] (no batch in older merges)
        db.executemany(ADD, [(answer, code_id, by, at, auto, (batch or [None])[0]) for answer, by, at, auto, *batch
                             in codings])
        db.executemany(TAKE_OFF, [(clock.stamp(), answer, done["target_id"]) for answer in json.loads(done["moved"])])
        for saved_id, old_code, params in json.loads(done["saved"]):
            db.execute("UPDATE saved_searches SET code_id = ?, params = ? WHERE id = ?",
                       (code_id if old_code == done["source_id"] else old_code, params, saved_id))
        for answer, *_ in codings:
            queue_answer(db, answer)
        db.execute("UPDATE code_merges SET undone_at = ?, undone_by = ? WHERE id = ?", (clock.stamp(), actor, merge_id))
        audit.log_action(db, actor, "code.unmerge", len(codings), f"code:{done['source_name']}")
    return len(codings)


def _restore_code(db, done, actor):
    """The merged code again, under its own id (its bulk batches name it, and can be undone again), where it
    stood in the tree, with its definitions; the codes that were under it and still are under the target
    move back under it. Its id (a new one only if a code holds the old one now)."""
    kept = json.loads(done["tree"]) or {"parent": None, "children": [], "definition": "", "exclusion": "", "examples": []}
    parent = kept["parent"] if kept["parent"] is not None and code_by_id(db, kept["parent"]) else None
    own = None if code_by_id(db, done["source_id"]) else done["source_id"]
    code_id = db.execute("INSERT INTO codes (id, name, description, created_by, created_at, parent, definition, "
                         "exclusion, examples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                         (own, done["source_name"], done["source_description"], kept.get("created_by", actor),
                          kept.get("created_at", clock.stamp()), parent, kept["definition"], kept["exclusion"],
                          json.dumps(kept["examples"]))).fetchone()[0]
    for child in kept["children"]:
        db.execute("UPDATE codes SET parent = ? WHERE id = ? AND parent = ?", (code_id, child, done["target_id"]))
    return code_id
