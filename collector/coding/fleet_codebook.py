"""Search mode: the codebook as one workspace record, `codebook`, read in real time by every instance.

A codebook is small (tens or hundreds of codes), so it is one document changed by versioned
writes: a code made, renamed or deleted on one instance is what the next read on any instance
sees, and two analysts naming two codes alike at once cannot both succeed. Codings refer to codes
by id, so a rename changes the codebook alone (and the index learns the new name on each answer).
"""
import uuid

from collector.coding import index_sync, keys, tree
from collector.coding.names import DESCRIPTION_MAX, checked_name, renamed_meanwhile
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.search.query import fold
from collector.workspace.versioned import change_one

CODEBOOK = "codebook"
# codes made before these fields
DETAILS = {"parent": None, "definition": "", "exclusion": "", "examples": []}


def book_of(source):
    """The codebook record (an empty one if there is none yet)."""
    return source or {"kind": "codebook", "data": {"codes": {}}}


def tree_of(book):
    """({code id: parent id or None}, {code id: name}) of a codebook record's codes."""
    codes = book["data"]["codes"]
    return {i: code.get("parent") for i, code in codes.items()}, {i: code["name"] for i, code in codes.items()}


def _clash(codes, name, code_id=None):
    if any(fold(other["name"]) == fold(name) and other_id != code_id for other_id, other in codes.items()):
        raise UserError(f"A code called '{name}' exists already.", 409)


class FleetCodebook:
    """The codebook (mixed into FleetCoding, which provides records, codings and saved searches)."""

    def codes(self):
        """{code id: {name, description, created_by, created_at, parent, definition, exclusion, examples}}, as of now."""
        return {code_id: DETAILS | code for code_id, code in book_of(self.records.get(CODEBOOK))["data"]["codes"].items()}

    def code_tree(self):
        """({code id: parent id or None}, {code id: name})."""
        return tree_of(book_of(self.records.get(CODEBOOK)))

    def code_names(self):
        """{code id: name}."""
        return {code_id: code["name"] for code_id, code in self.codes().items()}

    def codebook(self):
        """Every code in tree order with depth, parent_name, own answers, answers_total (with the codes under
        it) and its coding key."""
        codes = self.codes()
        counts = self.code_counts(list(codes)) if codes else {}
        parents = {i: code["parent"] for i, code in codes.items()}
        totals = tree.roll_up(parents, counts, self.answers_with_any)
        rows = [{"id": i, **code, "answers": counts.get(i, 0), "answers_total": totals[i],
                 "parent_name": codes[code["parent"]]["name"] if code["parent"] in codes else None}
                for i, code in codes.items()]
        held = keys.assigned(rows)
        return tree.depth_first([dict(row, key=held.get(row["id"])) for row in rows])

    def known_names(self):
        """{folded name: name} of every code, for checking code= filters."""
        return {fold(code["name"]): code["name"] for code in self.codes().values()}

    def find_code(self, name, codes=None):
        """The code with this name (any case, any Unicode normal form), or None; in `codes` if given."""
        wanted, codes = fold(" ".join(str(name).split())), self.codes() if codes is None else codes
        return next(({"id": i, **code} for i, code in codes.items() if fold(code["name"]) == wanted), None)

    def code_by_id(self, code_id):
        """One code by its id, or None."""
        code = self.codes().get(str(code_id))
        return code and {"id": str(code_id), **code}

    def create_code(self, name, description, actor, parent=None):
        """Add a code to the codebook (under parent, a code, if given); 409 when the name exists in any case."""
        name, description = checked_name(name), str(description or "").strip()[:DESCRIPTION_MAX]
        code_id, code = uuid.uuid4().hex, DETAILS | {"name": name, "description": description, "created_by": actor,
                                                     "created_at": clock.stamp(), "parent": parent and parent["id"]}

        def add(source):
            book = book_of(source)
            _clash(book["data"]["codes"], name)
            if parent is not None and parent["id"] not in book["data"]["codes"]:
                raise UserError(f"The code '{parent['name']}' was deleted a moment ago.", 404)
            tree.check_level(*tree_of(book), parent and parent["id"])
            code["key"] = keys.first_free([{"id": i, **c} for i, c in book["data"]["codes"].items()])
            book["data"]["codes"][code_id] = code
            return book
        change_one(self.records, CODEBOOK, add)
        audit.log_action(get_db(), actor, "code.create", 0, f"code:{name}")
        return {"id": code_id, **code}

    def set_key(self, code, key, actor):
        """Give a code the key an analyst chose (None: no key); the key."""
        chosen = {}

        def give(source):
            book = book_of(source)
            codes = book["data"]["codes"]
            if code["id"] not in codes:
                raise UserError("That code was deleted a moment ago.", 404)
            chosen["key"] = keys.checked(key, [{"id": i, **c} for i, c in codes.items()], code["id"])
            codes[code["id"]]["key"] = chosen["key"] or ""  # '': none, not a free one
            return book
        change_one(self.records, CODEBOOK, give)
        audit.log_action(get_db(), actor, "code.key", 0, f"code:{code['name']}")
        return chosen["key"]

    def edit_code(self, code, name, description, actor):
        """Rename and/or describe a code; answers keep it (the index learns the new name)."""
        name = checked_name(name)
        # None: as it is now
        description = None if description is None else str(description).strip()[:DESCRIPTION_MAX]

        def edit(source):
            book = book_of(source)
            if code["id"] not in book["data"]["codes"]:
                raise UserError("That code was deleted a moment ago.", 404)
            if (now_named := book["data"]["codes"][code["id"]]["name"]) != code["name"]:
                raise UserError(renamed_meanwhile(code["name"], now_named), 409)
            _clash(book["data"]["codes"], name, code["id"])
            book["data"]["codes"][code["id"]]["name"] = name
            if description is not None:  # only what the request changes: another edit's description stays
                book["data"]["codes"][code["id"]]["description"] = description
            return book
        change_one(self.records, CODEBOOK, edit)
        if name != code["name"]:
            self.rename_in_saved_searches(code["name"], name)
            index_sync.queue_ids(get_db(), list(self.answers_with("codes", code["id"])))
            self.look_again("rename", code=code["id"])
        audit.log_action(get_db(), actor, "code.edit", 0, f"code:{code['name']}->{name}")
        return self.code_by_id(code["id"])

    def delete_code(self, code, actor):
        """Remove a code from the codebook and from every answer; returns how many answers had it."""
        def remove(source):
            book = book_of(source)
            gone = book["data"]["codes"].pop(code["id"], None)
            if not gone:
                raise UserError("That code was deleted a moment ago.", 404)
            for other in book["data"]["codes"].values():  # the codes under it move up one level
                if other.get("parent") == code["id"]:
                    other["parent"] = gone.get("parent")
            return book
        change_one(self.records, CODEBOOK, remove)  # from here on no instance shows or gives it
        self.stop_auto_coding_with(code["id"])
        had = self.change_answers(list(self.answers_with("codes", code["id"])),
                                  lambda entries, removed, _: entries.pop(code["id"], None) is not None)
        # Serverless: codings made just before are not searchable yet
        self.look_again("delete", code=code["id"])
        self.drop_memos([f"code:{code['id']}"])  # what was said of it, and the model's decisions, go with it
        self.records.delete(f"suggest:{code['id']}")
        audit.log_action(get_db(), actor, "code.delete", len(had), f"code:{code['name']}")
        return len(had)
