"""Search mode: merging one code into another, and splitting one, across the fleet. A merge is
recorded as `merge:<id>` with what undoing it needs (the code, each answer's coding of it, which
answers gained the target, the saved searches as they were), a split as `split:<id>` (the moved
codings), so that an undo from any instance gives back exactly what there was."""
import uuid

from collector.coding.fleet_codebook import CODEBOOK, DETAILS, book_of, tree_of
from collector.coding.merge import check_merge
from collector.coding.names import renamed_params
from collector.coding.split import refuse_if_grown
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.workspace.versioned import change_one


class FleetMerge:
    """Merges (mixed into FleetCoding, which provides records, codings, codebook and saved searches)."""

    def merge(self, source, target, actor):
        """Merge source into target; returns (merge id, answers that had the source)."""
        key = uuid.uuid4().hex
        entries = {}
        moved = {}
        kept = {}

        def drop(source_book):
            book = book_of(source_book)
            codes = book["data"]["codes"]
            if source["id"] not in codes or target["id"] not in codes:
                raise UserError("One of the two codes was deleted a moment ago.", 404)
            check_merge(tree_of(book)[0], source, target)
            kept.update(code=DETAILS | codes.pop(source["id"]), children=[])
            for code_id, code in codes.items():  # the codes under it go under the target
                if code.get("parent") == source["id"]:
                    kept["children"].append(code_id)
                    code["parent"] = target["id"]
            return book

        change_one(self.records, CODEBOOK, drop)
        self.change_answers(list(self.answers_with("codes", source["id"])), self.mover(source["id"], target["id"],
                                                                                     entries, moved))
        saved = self._follow(source, target)
        self.records.put(f"merge:{key}", {"kind": "merge", "at": clock.stamp(), "actor": actor, "codes": [source["id"]],
                                          "data": {"source": source["id"], "code": kept["code"],
                                                   "children": kept["children"], "target": target["id"],
                                                   "entries": entries, "moved": [a for a, m in moved.items() if m],
                                                   "saved": saved, "undone_at": None}}, refresh="true")
        self.look_again("merge", merge=key)  # Serverless: codings made just before are not searchable yet
        audit.log_action(get_db(), actor, "code.merge", len(entries), f"code:{source['name']}->{target['name']}")
        return key, len(entries)

    @staticmethod
    def mover(source, target, entries, moved):
        """The change that moves an answer's coding from the source code to the target (entries and moved
        keep what undoing it needs)."""
        def move(codings, removed, answer):
            if source not in codings:  # taken off a moment ago
                return False
            entries[answer] = codings.pop(source)
            moved[answer] = target not in codings
            codings.setdefault(target, entries[answer])
            return True
        return move

    def _follow(self, source, target):
        before = {}

        def follow(key, row):
            params = renamed_params(row["params"], source["name"], target["name"])
            if row["code"] != source["id"] and params == row["params"]:
                return row
            before[key] = {"code": row["code"], "params": row["params"]}
            return dict(row, params=params, code=target["id"] if row["code"] == source["id"] else row["code"])
        self._change_searches(follow)
        return before

    def undo_merge(self, merge_id, actor):
        """Give back the merged code (same id), its codings and saved searches; how many answers have it again."""
        done = self.records.get(f"merge:{merge_id}")
        if done is None or done.get("kind") != "merge" or done["data"]["undone_at"]:
            raise UserError("That merge does not exist or was undone already.", 404)
        data = done["data"]

        def mark(source):
            if source["data"]["undone_at"]:
                raise UserError("That merge was undone a moment ago.", 404)
            source["data"].update(undone_at=clock.stamp(), undone_by=actor)
            return source
        if self.find_code(data["code"]["name"]):
            raise UserError(f"A code called '{data['code']['name']}' exists again: rename it, then undo.", 409)
        change_one(self.records, f"merge:{merge_id}", mark)
        change_one(self.records, CODEBOOK, lambda book: _with_code(book, data))

        def give_back(codings, removed, answer):
            codings[data["source"]] = data["entries"][answer]
            if answer in data["moved"]:
                codings.pop(data["target"], None)
            return True
        self.change_answers(list(data["entries"]), give_back)
        self._change_searches(lambda key, row: dict(row, **data["saved"][key]) if key in data["saved"] else row)
        audit.log_action(get_db(), actor, "code.unmerge", len(data["entries"]), f"code:{data['code']['name']}")
        return len(data["entries"])


class FleetSplit:
    """Splits (mixed into FleetCoding): some of a code's answers move to a new code, `split:<id>` records them."""

    def split(self, source, name, answer_ids, actor):
        """Move the source's codings of these answers to a new code called name; (split id, answers moved)."""
        # beside the code it came from
        parent = self.code_by_id(source["parent"]) if source.get("parent") else None
        new = self.create_code(name, "", actor, parent)
        key = uuid.uuid4().hex
        entries = {}

        def move(codings, removed, answer):
            if source["id"] not in codings:
                return False
            entries[answer] = codings[new["id"]] = codings.pop(source["id"])
            return True
        self.change_answers(list(dict.fromkeys(answer_ids)), move)
        self.records.put(f"split:{key}", {"kind": "split", "at": clock.stamp(), "actor": actor, "codes": [source["id"]],
                                          "data": {"source": source["id"], "new": new["id"], "entries": entries,
                                                   "undone_at": None}}, refresh="true")
        audit.log_action(get_db(), actor, "code.split", len(entries), f"code:{source['name']}->{new['name']}")
        return key, len(entries)

    def undo_split(self, split_id, actor):
        """Put the moved answers back under the source code and take the new code away; how many moved back."""
        def mark(record):
            if record is None or record.get("kind") != "split" or record["data"]["undone_at"]:
                raise UserError("That split does not exist or was undone already.", 404)
            record["data"].update(undone_at=clock.stamp(), undone_by=actor)
            return record
        found = self.records.get(f"split:{split_id}")
        source = found and found.get("kind") == "split" and self.code_by_id(found["data"]["source"])
        if found and found.get("kind") == "split" and not source:
            raise UserError("The code that was split has been deleted since: there is nothing to put back.", 409)
        if source and not found["data"]["undone_at"] and (grown := self.code_by_id(found["data"]["new"])):
            refuse_if_grown(grown["name"], set(self.answers_with("codes", grown["id"])) - set(found["data"]["entries"]))
        data = change_one(self.records, f"split:{split_id}", mark)[0]["data"]
        new = self.code_by_id(data["new"])

        def give_back(codings, removed, answer):
            codings[data["source"]] = data["entries"][answer]
            return True
        self.change_answers(list(data["entries"]), give_back)
        if new is not None:
            self.delete_code(new, actor)
        audit.log_action(get_db(), actor, "code.unsplit", len(data["entries"]), f"code:{source['name']}")
        return len(data["entries"])


def _with_code(source, merge):
    """The codebook with a merged code back where it stood, and the codes that were under it (if still under the target)."""
    book = book_of(source)
    codes = book["data"]["codes"]
    code = dict(merge["code"])
    code["parent"] = code.get("parent") if code.get("parent") in codes else None
    codes[merge["source"]] = code
    for child in merge.get("children", []):
        if child in codes and codes[child].get("parent") == merge["target"]:
            codes[child]["parent"] = merge["source"]
    return book
