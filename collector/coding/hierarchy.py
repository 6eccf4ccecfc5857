"""The codebook's tree and definitions in the journal (embedded mode; search mode: fleet_tree.py).

A code may sit under a parent (at most tree.LEVELS_MAX levels deep); moving one is audited and undone by
moving it back. A code has a definition (when to apply it), an exclusion rule (when not to) and example
answers.
"""
import json
import re

from collector.coding import ACTIVE, as_code, code_tree, keys, tree
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.writes import transaction

DEFINITION_MAX = 1000
EXAMPLES_MAX = 10
ANSWER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def checked_details(definition, exclusion, examples=None):
    """(definition, exclusion, example answer ids or None to keep them) stripped and bounded; UserError 400 otherwise."""
    if examples is not None and (not isinstance(examples, (list, tuple))
                                 or not all(isinstance(e, str) and ANSWER_ID.fullmatch(e) for e in examples)):
        raise UserError("'examples' must be a list of answer ids.")
    if examples is not None and len(set(examples)) > EXAMPLES_MAX:
        raise UserError(f"A code keeps at most {EXAMPLES_MAX} example answers.")
    if not all(isinstance(text, (str, type(None))) for text in (definition, exclusion)):
        raise UserError("A definition or an exclusion rule is text.")
    texts = [(text or "").strip() for text in (definition, exclusion)]
    if any(len(text) > DEFINITION_MAX for text in texts):
        raise UserError(f"A definition or an exclusion rule holds at most {DEFINITION_MAX} characters.")
    return texts[0], texts[1], None if examples is None else list(dict.fromkeys(examples))


def codebook(db):
    """Every code in tree order with its depth, parent's name, own answers, answers_total (with the codes
    under it) and its coding key."""
    rows = [as_code(row) for row in db.execute(
        f"SELECT k.*, (SELECT count(*) FROM codings c WHERE c.code_id = k.id AND {ACTIVE}) AS answers FROM codes k")]
    parents = {r["id"]: r["parent"] for r in rows}
    names = {r["id"]: r["name"] for r in rows}
    totals = tree.roll_up(parents, {r["id"]: r["answers"] for r in rows},
                          lambda families: {code_id: _distinct(db, ids) for code_id, ids in families.items()})
    held = keys.assigned(rows)
    return [dict(row, answers_total=totals[row["id"]], parent_name=names.get(row["parent"]), key=held.get(str(row["id"])))
            for row in tree.depth_first(rows)]


def _distinct(db, code_ids):
    marks = ", ".join("?" * len(code_ids))
    return db.execute(f"SELECT count(DISTINCT response_id) FROM codings c WHERE code_id IN ({marks}) AND {ACTIVE}",
                      code_ids).fetchone()[0]


def move_code(db, code, parent, actor):
    """Put a code under parent (a code, or None for the top level); the name of the parent it had."""
    with transaction(db):
        parents, names = code_tree(db)
        if code["id"] not in parents or (parent is not None and parent["id"] not in parents):
            raise UserError("That code was deleted a moment ago.", 404)
        tree.check_parent(parents, names, code["id"], parent and parent["id"])
        db.execute("UPDATE codes SET parent = ? WHERE id = ?", (parent and parent["id"], code["id"]))
        audit.log_action(db, actor, "code.move", 0,
                         f"code:{code['name']}->{parent['name'] if parent else '(top)'}")
    return names.get(parents[code["id"]])


def define_code(db, code, definition, exclusion, examples, actor):
    """Set a code's definition, exclusion rule and example answers (None: as they are); audited."""
    definition, exclusion, examples = checked_details(definition, exclusion, examples)
    with transaction(db):
        if db.execute("UPDATE codes SET definition = ?, exclusion = ?, examples = coalesce(?, examples) WHERE id = ?",
                      (definition, exclusion, None if examples is None else json.dumps(examples),
                       code["id"])).rowcount == 0:
            raise UserError("That code was deleted a moment ago.", 404)
        audit.log_action(db, actor, "code.define", 0, f"code:{code['name']}")
