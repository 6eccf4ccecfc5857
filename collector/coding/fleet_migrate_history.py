"""`flask workspace migrate`, the history part: this journal's merges and splits as the fleet's `merge:`
and `split:` records, each with what its undo needs, so an undo from any instance gives back exactly
what there was (a merge not undone here can be undone in the fleet, and the other way round)."""
import json

from collector.coding.fleet_codebook import DETAILS
from collector.coding.fleet_migrate import entry_of, stable_id


def migrate_history(migration):
    """Copy every merge and split once; {what: how many of this journal's}."""
    merges = migration.db.execute("SELECT * FROM code_merges ORDER BY id").fetchall()
    for row in merges:
        key = stable_id("merge", row["at"], row["by"], row["source_name"], row["target_id"])
        migration.records.create(f"merge:{key}", _merge(migration, row))
    splits = migration.db.execute("SELECT * FROM code_splits ORDER BY id").fetchall()
    for row in splits:
        key = stable_id("split", row["at"], row["by"], row["source_id"], row["new_id"])
        migration.records.create(f"split:{key}", {
            "kind": "split", "at": row["at"], "actor": row["by"], "codes": [migration.code(row["source_id"])],
            "data": {"source": migration.code(row["source_id"]), "new": migration.code(row["new_id"]),
                     "entries": _entries(migration, row["codings"]), "undone_at": row["undone_at"],
                     "undone_by": row["undone_by"]}})
    return {"merges": len(merges), "splits": len(splits)}


def _merge(migration, row):
    """A journal merge as the fleet records one."""
    tree = json.loads(row["tree"]) or {}
    source = migration.code(row["source_id"], row["source_name"])
    code = DETAILS | {name: tree[name] for name in ("definition", "exclusion", "examples", "created_by", "created_at")
                      if name in tree}
    code.update(name=row["source_name"], description=row["source_description"],
                parent=migration.code(tree["parent"]) if tree.get("parent") else None)
    saved = {}
    for saved_id, code_id, params in json.loads(row["saved"]):
        if key := migration.saved_key(saved_id):
            saved[key] = {"code": migration.code(code_id) if code_id else None, "params": params}
    return {"kind": "merge", "at": row["at"], "actor": row["by"], "codes": [source], "data": {
        "source": source, "code": code, "children": [migration.code(child) for child in tree.get("children", [])],
        "target": migration.code(row["target_id"]), "entries": _entries(migration, row["codings"]),
        "moved": json.loads(row["moved"]), "saved": saved, "undone_at": row["undone_at"],
        "undone_by": row["undone_by"]}}


def _entries(migration, codings):
    """{answer: coding entry} of a merge's or split's codings ([answer, by, at, auto(, batch)])."""
    return {answer: entry_of(by, at, auto, migration.batches.get(batch[0]) if batch else None)
            for answer, by, at, auto, *batch in json.loads(codings)}
