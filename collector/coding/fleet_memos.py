"""Search mode: analysts' memos as workspace records, `memo:<id>`, one per memo: its target in `scope`
('code:<id>' or 'answer:<id>'), its author in `actor`, its words in `text` (searched), and its dates
in `data`. Written with refresh, so the page an analyst goes back to shows the memo."""
import uuid

import es_client
from collector.coding.memos import LISTED, checked_text
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.search.distinctive import fold as plain
from collector.workspace.versioned import change_one


def _memo(record_id, source):
    return {"id": record_id.removeprefix("memo:"), "target": source["scope"], "body": source["text"],
            "author": source["actor"], **source["data"]}


class FleetMemos:
    """Memos (mixed into FleetCoding, which provides records)."""

    def add_memo(self, target, text, actor):
        """Write a memo on a target ('code:<id>' or 'answer:<id>'); the memo."""
        record_id = f"memo:{uuid.uuid4().hex}"
        at = clock.stamp("milliseconds")
        text = checked_text(text)
        # at: the order memos are listed in
        source = {"kind": "memo", "scope": target, "text": text, "folded": plain(text), "actor": actor, "at": at,
                  "data": {"created_at": clock.stamp(), "edited_at": None, "edited_by": None}}
        self.records.put(record_id, source, op_type="create", refresh="true")
        audit.log_action(get_db(), actor, "memo.add", 1, target.partition(":")[0])
        return _memo(record_id, source)

    def edit_memo(self, memo_id, text, actor):
        """Change a memo's text; the memo afterwards, or UserError 404."""
        text, record_id = checked_text(text), f"memo:{memo_id}"

        def edit(source):
            if source is None or source.get("kind") != "memo":
                raise UserError("There is no such memo.", 404)
            source["text"] = text
            source["folded"] = plain(text)
            source["data"]["edited_at"] = clock.stamp()
            source["data"]["edited_by"] = actor
            return source
        after = change_one(self.records, record_id, edit)[0]
        audit.log_action(get_db(), actor, "memo.edit", 1, after["scope"].partition(":")[0])
        return _memo(record_id, after)

    def _memos(self, query, sort):
        body = {"query": {"bool": {"filter": [{"term": {"kind": "memo"}}], "must": query}}, "size": LISTED,
                "sort": sort}
        return [_memo(hit["_id"], hit["_source"]) for hit in self.records.search(body)["hits"]["hits"]]

    def memos_on(self, target):
        """A target's memos, oldest first."""
        return self._memos([{"term": {"scope": target}}], [{"at": "asc"}])

    def search_memos(self, words):
        """The latest memos holding every one of the words (any case or accents), newest first."""
        words = " ".join(str(words or "").split()[:10])
        either = [{"match": {"text": {"query": words, "operator": "and"}}},  # a memo from before `folded`
                  {"match": {"folded": {"query": plain(words), "operator": "and"}}}]
        must = [{"bool": {"should": either, "minimum_should_match": 1}}] if words else []
        return self._memos(must, [{"at": "desc"}])

    def forget_memos(self, answer_ids):
        """Erased answers: their memos go too."""
        self.drop_memos([f"answer:{i}" for i in answer_ids])

    def drop_memos(self, scopes):
        """Delete every memo on these targets ('code:<id>', 'answer:<id>')."""
        for start in range(0, len(scopes), 500):
            chosen = [{"term": {"kind": "memo"}}, {"terms": {"scope": scopes[start:start + 500]}}]
            body = {"query": {"bool": {"filter": chosen}}, "size": 10_000, "_source": False}
            hits = self.records.search(body)["hits"]["hits"]
            lines = b"".join(es_client.delete_line(hit["_id"]) for hit in hits)
            if lines and any(status not in (200, 404) for status, _ in self.records.bulk(lines, refresh=True)):
                raise es_client.DomainUnavailable("The workspace kept some memos it was told to delete.")
