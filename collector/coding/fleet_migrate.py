"""`flask workspace migrate`, the coding part: this journal's codebook, codings, bulk batches and
saved searches, merged into the fleet's workspace records.

Codes and saved searches match by name (the fleet's wins where both exist); records made here
get ids derived from what they hold, so running it twice, or from every instance, even at once,
gives the same result. A code the fleet's analysts took off an answer stays off.
"""
import uuid

from collector.coding.fleet_codebook import CODEBOOK, book_of
from collector.coding.fleet_saved import SAVED, shelf_of
from collector.search.model import fold
from collector.workspace.versioned import change_one

NAMESPACE = uuid.UUID("6f1d3c1e-7a61-4a8e-9a55-3f0c4d2f9b10")


def _stable_id(*parts):
    return uuid.uuid5(NAMESPACE, "\x1f".join(map(str, parts))).hex


def migrate(db, store):
    """Copy this journal's coding state into the fleet's; {what: how many of this journal's}."""
    codes = _codebook(db, store)
    batches = _batches(db, store, codes)
    codings = _codings(db, store, codes, batches)
    saved = _saved(db, store, codes)
    return {"codes": len(codes), "codings": codings, "batches": len(batches), "saved searches": saved}


def _codebook(db, store):
    """{journal code id: fleet code id}, adding the codes the fleet lacks by name."""
    local, found = db.execute("SELECT * FROM codes ORDER BY id").fetchall(), {}

    def merge(source):
        book = book_of(source)
        by_name = {fold(code["name"]): code_id for code_id, code in book["data"]["codes"].items()}
        for row in local:
            code_id = by_name.setdefault(fold(row["name"]), _stable_id("code", fold(row["name"])))
            book["data"]["codes"].setdefault(code_id, {key: row[key] for key in (
                "name", "description", "created_by", "created_at")})
            found[row["id"]] = code_id
        return book
    change_one(store.records, CODEBOOK, merge)
    return found


def _batches(db, store, codes):
    """{journal batch id: fleet batch key}, each created once (its key comes from what it was)."""
    keys = {}
    for row in db.execute("SELECT b.*, k.name FROM code_batches b LEFT JOIN codes k ON k.id = b.code_id"):
        keys[row["id"]] = key = _stable_id("batch", row["at"], row["by"], row["name"], row["params"])
        store.records.create(f"batch:{key}", {
            "kind": "batch", "at": row["at"], "actor": row["by"], "codes": [codes[row["code_id"]]] if row["code_id"]
            else [], "data": {key: row[key] for key in ("params", "applied", "undone_at", "undone_by")}})
    return keys


def _codings(db, store, codes, batches):
    """Merge every answer's codings into the fleet's; how many answers had any here."""
    rows = db.execute("SELECT * FROM codings WHERE code_id IN (SELECT id FROM codes) ORDER BY response_id").fetchall()
    by_answer = {}
    for row in rows:
        by_answer.setdefault(row["response_id"], []).append(row)

    def merge(entries, removed, answer_id):
        for row in by_answer[answer_id]:
            code_id = codes[row["code_id"]]
            if row["removed_at"] and code_id not in entries:
                removed.add(code_id)
            elif not row["removed_at"] and code_id not in removed:  # the fleet's analysts took it off: it stays off
                entries.setdefault(code_id, {"by": row["by"], "at": row["at"], "auto": bool(row["auto"]),
                                             "batch": batches.get(row["batch"])})
        return True
    store.change_answers(list(by_answer), merge)
    return len(by_answer)


def _saved(db, store, codes):
    """Add the saved searches the fleet lacks by name; how many this journal has."""
    local = db.execute("SELECT * FROM saved_searches ORDER BY id").fetchall()

    def merge(source):
        shelf = shelf_of(source)
        names = {fold(row["name"]) for row in shelf["data"]["searches"].values()}
        for row in local:
            if fold(row["name"]) not in names:
                shelf["data"]["searches"][_stable_id("saved", fold(row["name"]))] = {
                    "name": row["name"], "params": row["params"], "code": codes.get(row["code_id"]),
                    "created_by": row["created_by"], "created_at": row["created_at"], "disabled": row["disabled"],
                    "since": row["created_at"]}
        return shelf
    change_one(store.records, SAVED, merge)
    return len(local)
