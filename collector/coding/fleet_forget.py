"""Search mode: what the coding store forgets of erased answers, in every record kind that can name one:
their codings and memos, their entries in merge and split records (an undo must never give an erased
answer its codes back), the codebook's examples, and an email in saved searches and bulk batches."""
from collector.coding.fleet_codebook import CODEBOOK, book_of
from collector.workspace.versioned import change_many, change_one


class FleetForget:
    """Erasure's part in the coding store (mixed into FleetCoding)."""

    def forget(self, answer_ids, emails=()):
        """Erased answers leave every coding record; searches recorded with their email keep it no longer."""
        if answer_ids:
            self._forget_in_batches(set(answer_ids))
            self.forget_codings(answer_ids)
            self.forget_memos(answer_ids)
            self._forget_in_undo(set(answer_ids))
            change_one(self.records, CODEBOOK, lambda source: _without_examples(source, set(answer_ids)))
        for email in emails:
            self.redact_saved(email)
            self.redact_batches(email)

    def _forget_in_batches(self, gone):
        """Bulk batches list the answers they coded (for their undo): never an erased one."""
        chosen = [{"term": {"kind": "batch"}}, {"terms": {"answer": sorted(gone)}}]
        hits = self.records.search({"query": {"bool": {"filter": chosen}}, "size": 10_000, "_source": False})
        change_many(self.records, [hit["_id"] for hit in hits["hits"]["hits"]],
                    lambda _, source: source and dict(source, answer=[a for a in source["answer"] if a not in gone]))

    def _forget_in_undo(self, gone):
        """Merge and split records keep what their undo gives back: never an erased answer's coding."""
        body = {"query": {"terms": {"kind": ["merge", "split"]}}, "size": 10_000, "_source": False}
        record_ids = [hit["_id"] for hit in self.records.search(body)["hits"]["hits"]]

        def drop(_, source):
            if source is None:
                return None
            data = source["data"]
            for answer in gone & set(data["entries"]):
                del data["entries"][answer]
            if "moved" in data:
                data["moved"] = [answer for answer in data["moved"] if answer not in gone]
            if data.get("code", {}).get("examples"):
                data["code"]["examples"] = [answer for answer in data["code"]["examples"] if answer not in gone]
            return source
        change_many(self.records, record_ids, drop)


def _without_examples(source, gone):
    """The codebook with no erased answer among any code's examples (None: nothing to change)."""
    if source is None:
        return None
    book = book_of(source)
    for code in book["data"]["codes"].values():
        code["examples"] = [answer for answer in code.get("examples", []) if answer not in gone]
    return book
