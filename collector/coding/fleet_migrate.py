"""`flask workspace migrate`, the coding part: everything this journal holds of the analysts' coding work,
merged into the fleet's workspace records: the codebook (parents, definitions, exclusions, examples),
codings, bulk batches with their undo, saved searches, memos, merges and splits (fleet_migrate_history.py).

Codes and saved searches match by name (the fleet's wins where both exist); every record made here gets
an id derived from what it holds, and is only created where it is missing, so running it twice, after a
crash half-way, or from every instance, even at once, gives the same result. A code the fleet's analysts
took off an answer stays off.
"""
import json
import uuid

from collector.coding.fleet_codebook import CODEBOOK, book_of
from collector.coding.fleet_saved import SAVED, shelf_of
from collector.search.query import fold
from collector.workspace.versioned import change_one

NAMESPACE = uuid.UUID("6f1d3c1e-7a61-4a8e-9a55-3f0c4d2f9b10")


def stable_id(*parts):
    """An id made of what a record holds: the same on every run and every instance."""
    return uuid.uuid5(NAMESPACE, "\x1f".join(map(str, parts))).hex


class CodingMigration:
    """One journal's coding work on its way into the fleet's store; the id maps the other parts use."""

    def __init__(self, db, store):
        self.db = db
        self.store = store
        self.records = store.records
        self.codes, self.batches = {}, {}  # journal id -> fleet id, of codes and of bulk batches
        self.names = {row[0]: row[1] for row in db.execute("SELECT source_id, source_name FROM code_merges")}

    def code(self, journal_id, name=None):
        """The fleet id of a journal code, also of one merged or deleted since (by its name where known)."""
        journal_id = int(journal_id)  # round records keep code ids as text
        if journal_id in self.codes:
            return self.codes[journal_id]
        name = name or self.names.get(journal_id)
        return stable_id("code", fold(name)) if name else stable_id("deleted code", journal_id)

    def run(self):
        """Copy every part; {what: how many of this journal's}."""
        return {"codes": self._codebook(), "batches": self._batches(), "codings": self._codings(),
                "saved searches": self._saved(), "memos": self._memos()}

    def _codebook(self):
        """Add the codes the fleet lacks by name, with their place in the tree and their definitions."""
        rows = self.db.execute("SELECT * FROM codes ORDER BY id").fetchall()
        self.names.update({row["id"]: row["name"] for row in rows})

        def merge(source):
            book = book_of(source)
            codes = book["data"]["codes"]
            by_name = {fold(code["name"]): code_id for code_id, code in codes.items()}
            self.codes.update({row["id"]: by_name.get(fold(row["name"]), stable_id("code", fold(row["name"])))
                               for row in rows})
            for row in rows:
                code_id = self.codes[row["id"]]
                made = codes.setdefault(code_id, {})
                if code_id == stable_id("code", fold(row["name"])):  # made by a migration: fill what it lacks
                    _fill(made, self._code(row))
            return book
        change_one(self.records, CODEBOOK, merge)
        return len(rows)

    def _code(self, row):
        return {"name": row["name"], "description": row["description"], "created_by": row["created_by"],
                "created_at": row["created_at"], "parent": self.codes.get(row["parent"]),
                "definition": row["definition"], "exclusion": row["exclusion"], "examples": json.loads(row["examples"]),
                "key": row["key"]}  # the coding key the laptop's coders learnt

    def _batches(self):
        """Each bulk batch once (its key comes from what it was), naming its code even if merged since."""
        rows = self.db.execute("SELECT b.*, k.name FROM code_batches b LEFT JOIN codes k ON k.id = b.code_id").fetchall()
        for row in rows:
            self.batches[row["id"]] = key = stable_id("batch", row["at"], row["by"], row["name"], row["params"])
            self.records.create(f"batch:{key}", {
                "kind": "batch", "at": row["at"], "actor": row["by"], "codes": [self.code(row["code_id"])],
                "data": {name: row[name] for name in ("params", "applied", "undone_at", "undone_by")}})
        return len(rows)

    def _codings(self):
        """Merge every answer's codings into the fleet's; how many answers had any here."""
        rows = self.db.execute("SELECT * FROM codings WHERE code_id IN (SELECT id FROM codes) ORDER BY response_id")
        by_answer = {}
        for row in rows:
            by_answer.setdefault(row["response_id"], []).append(row)

        def merge(entries, removed, answer_id):
            for row in by_answer[answer_id]:
                code_id = self.codes[row["code_id"]]
                if row["removed_at"] and code_id not in entries:
                    removed.add(code_id)
                elif not row["removed_at"] and code_id not in removed:
                    # the fleet's analysts took it off: it stays off
                    entries.setdefault(code_id, entry_of(row["by"], row["at"], row["auto"], self.batches.get(row["batch"])))
            return True
        self.store.change_answers(list(by_answer), merge)
        return len(by_answer)

    def saved_key(self, journal_id):
        """The fleet key of a journal saved search (by its name), or None once it was deleted."""
        row = self.db.execute("SELECT name FROM saved_searches WHERE id = ?", (journal_id,)).fetchone()
        return row and stable_id("saved", fold(row[0]))

    def _saved(self):
        """Add the saved searches the fleet lacks by name; how many this journal has."""
        local = self.db.execute("SELECT * FROM saved_searches ORDER BY id").fetchall()

        def merge(source):
            shelf = shelf_of(source)
            names = {fold(row["name"]) for row in shelf["data"]["searches"].values()}
            for row in local:
                if fold(row["name"]) not in names:
                    shelf["data"]["searches"][stable_id("saved", fold(row["name"]))] = {
                        "name": row["name"], "params": row["params"], "code": self.codes.get(row["code_id"]),
                        "created_by": row["created_by"], "created_at": row["created_at"], "disabled": row["disabled"],
                        "since": row["created_at"]}
            return shelf
        change_one(self.records, SAVED, merge)
        return len(local)

    def _memos(self):
        """Each memo once, on the fleet's code or on the answer."""
        rows = self.db.execute("SELECT * FROM memos ORDER BY id").fetchall()
        for row in rows:
            kind, _, target = row["target"].partition(":")
            scope = f"code:{self.code(int(target))}" if kind == "code" else row["target"]
            self.records.create(f"memo:{stable_id('memo', row['created_at'], row['author'], scope)}", {
                "kind": "memo", "scope": scope, "text": row["body"], "actor": row["author"], "at": row["created_at"],
                "data": {"created_at": row["created_at"], "edited_at": row["edited_at"], "edited_by": row["edited_by"]}})
        return len(rows)


def entry_of(by, at, auto, batch):
    """A fleet coding entry."""
    return {"by": by, "at": at, "auto": bool(auto), "batch": batch}


def _fill(made, wanted):
    """A code a migration made gains the details it lacks (an older release's run left them out); what an
    analyst of the fleet changed since stays."""
    for key, value in wanted.items():
        made.setdefault(key, value)
