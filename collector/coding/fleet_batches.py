"""Search mode: bulk codings as workspace records, `batch:<id>`, undoable from any instance, exactly.

Each coding a batch made names the batch in its answer's record, and the batch record lists the
answers it coded (`answer`), so undoing it finds exactly those codings, by id right after it was
applied (Serverless makes a write searchable only a refresh interval later), and by a search on
`batches` where the instance that applied it stopped half-way. The batch record is changed by a
versioned write, so two instances undoing it at once cannot both succeed.
"""
import json
import uuid

from collector.coding.fleet_codings import entry
from collector.coding.redaction import redacted
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.workspace.versioned import change_one


def _batch_id(key):
    return f"batch:{key}"


class FleetBatches:
    """Bulk codings (mixed into FleetCoding, which provides records, codings and the codebook)."""

    def apply(self, code, response_ids, actor, params):
        """Give many answers a code in one step, as one undoable batch; returns (batch id, answers newly coded)."""
        key = uuid.uuid4().hex
        record = {"kind": "batch", "at": clock.stamp(), "actor": actor, "codes": [code["id"]],
                  "data": {"params": json.dumps(params), "applied": 0, "undone_at": None, "undone_by": None}}
        self.records.put(_batch_id(key), record, op_type="create", refresh="true")  # undoable from here on

        def give(entries, removed, _answer):
            if code["id"] in entries:
                return False
            entries[code["id"]] = entry(actor, batch=key)
            removed.discard(code["id"])
            return True
        coded = self.change_answers(response_ids, give)
        # The answers it coded, in the record: its undo reads them by id (at once, even on Serverless), and
        # erasing one finds the record by them.
        self.records.update(_batch_id(key), {"answer": coded, "data": dict(record["data"], applied=len(coded))})
        audit.log_action(get_db(), actor, "code.apply", len(coded), f"code:{code['name']}")
        return key, len(coded)

    def undo(self, batch_id, actor):
        """Take a bulk application back: the answers it coded lose the code again; returns how many."""
        def mark(source):
            if source is None or source.get("kind") != "batch" or source["data"]["undone_at"]:
                raise UserError("That bulk coding does not exist or was undone already.", 404)
            source["data"].update(undone_at=clock.stamp(), undone_by=actor)
            return source
        record = change_one(self.records, _batch_id(batch_id), mark)[0]

        def take_back(entries, removed, _answer):
            mine = [code_id for code_id, e in entries.items() if e["batch"] == batch_id]
            for code_id in mine:
                del entries[code_id]
                removed.add(code_id)
            return bool(mine)
        listed = record.get("answer", [])  # a batch an instance made before it kept them, or stopped
        searched = self.answers_with("batches", batch_id)  # half-way: the search finds them (once searchable)
        count = len(self.change_answers(list(dict.fromkeys([*listed, *searched])), take_back))
        audit.log_action(get_db(), actor, "code.undo", count, f"batch:{batch_id}")
        return count

    def latest_batches(self, limit=10):
        """The latest bulk codings, newest first, with their code's name (None once deleted)."""
        body = {"query": {"term": {"kind": "batch"}}, "sort": [{"at": "desc"}], "size": limit,
                "_source": {"excludes": ["answer"]}}
        names = self.code_names()
        return [{"id": hit["_id"].split(":", 1)[1], "name": names.get((hit["_source"]["codes"] or [None])[0]),
                 "by": hit["_source"]["actor"], "at": hit["_source"]["at"], **hit["_source"]["data"]}
                for hit in self.records.search(body)["hits"]["hits"]]

    def redact_batches(self, email):
        """After an erasure by email: no bulk batch's recorded search keeps the address."""
        body = {"query": {"term": {"kind": "batch"}}, "size": 10000, "_source": ["data.params"]}
        for hit in self.records.search(body)["hits"]["hits"]:
            if redacted(hit["_source"]["data"]["params"], email) is not None:
                change_one(self.records, hit["_id"], lambda source: _redacted_batch(source, email))


def _redacted_batch(source, email):
    changed = redacted(source["data"]["params"], email)
    if changed is not None:
        source["data"]["params"] = changed
    return source
