"""Coding keys that stay put: a code gets a key when it is made (the first free one) and keeps it, whatever
codes come or go after it, until an analyst changes it on the codebook page. A coder who learnt "7 is VPN"
is never made to code the wrong answers by a code added in the middle of the codebook."""
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.coding_schema import KEYS  # j, k, u and o step, undo and open in the coding view
from collector.journal.writes import transaction


def assigned(codebook):
    """{code id: key}: each code's own key; a code made before keys were kept (or given one another code
    holds) gets a free one, oldest first."""
    found = {}
    for code in codebook:
        key = code.get("key")
        if key and len(key) == 1 and key in KEYS and key not in found.values():
            found[str(code["id"])] = key
    free = [key for key in KEYS if key not in found.values()]
    for code in sorted(codebook, key=lambda c: (str(c.get("created_at") or ""), str(c["id"]))):
        # '': the analyst took its key away
        if str(code["id"]) not in found and code.get("key") != "" and free:
            found[str(code["id"])] = free.pop(0)
    return found


def first_free(codebook):
    """The key a new code gets: the first no code holds, or None when all are taken."""
    taken = set(assigned(codebook).values())
    return next((key for key in KEYS if key not in taken), None)


def checked(key, codebook, code_id):
    """A key an analyst chose for a code: one of KEYS and no other code's ('' or None: no key); else UserError."""
    key = str(key or "").strip().lower()
    if not key:
        return None
    if len(key) != 1 or key not in KEYS:
        raise UserError(f"A coding key is one of {' '.join(KEYS)} (j, k, u and o move, undo and open).")
    held = assigned(codebook)
    holder = next((c for c in codebook if held.get(str(c["id"])) == key and str(c["id"]) != str(code_id)), None)
    if holder:
        raise UserError(f"The key {key} belongs to the code '{holder['name']}': give that code another key first.", 409)
    return key


def set_key(db, code, key, actor):
    """The journal's store: give a code the key an analyst chose (None: no key); the key."""
    with transaction(db):
        rows = [dict(row) for row in db.execute("SELECT id, name, key, created_at FROM codes")]
        if not any(row["id"] == code["id"] for row in rows):
            raise UserError("That code was deleted a moment ago.", 404)
        key = checked(key, rows, code["id"])
        # '': none, not a free one
        db.execute("UPDATE codes SET key = ? WHERE id = ?", (key or "", code["id"]))
        audit.log_action(db, actor, "code.key", 0, f"code:{code['name']}")
    return key
