"""Search mode: each answer's codings as one workspace record, `codings:<answer id>`, shared by the fleet.

The record holds the answer's codes by id (so renaming a code touches no answer), who gave each,
when, automatically or by which bulk batch, and the codes an analyst took off (which automatic
coding never gives back). Every change is a versioned write (workspace.versioned): two analysts
coding one answer at once both keep their codes.
"""
import es_client
from collector.coding import index_sync
from collector.common import clock
from collector.journal import audit, get_db
from collector.workspace.versioned import change_many

PAGE = 1000
CHUNK = 500


def record_id(answer_id):
    """The workspace id of an answer's codings."""
    return f"codings:{answer_id}"


def entry(actor, auto=False, batch=None):
    """One code's coding on an answer: by whom, when, and how."""
    return {"by": actor, "at": clock.stamp(), "auto": auto, "batch": batch}


def settled(source, answer_id):
    """A codings record (made if missing) with its searchable fields matching its entries."""
    record = source or {"kind": "codings", "answer": answer_id, "removed": [], "data": {"entries": {}}}
    entries = record["data"]["entries"]
    record["codes"] = sorted(entries)
    record["batches"] = sorted({e["batch"] for e in entries.values() if e["batch"]})
    record["removed"] = sorted(set(record["removed"]) - set(entries))
    return record


class FleetCodings:
    """Codings of answers (mixed into FleetCoding, which provides records and the codebook)."""

    def change_answers(self, answer_ids, change, after=None):
        """Apply change(entries, removed set, answer id) -> bool (changed) to answers' codings; [answer ids
        changed]. `after`, if given, receives {record id: record afterwards}."""
        def apply(key, source):
            record = settled(source, key.split(":", 1)[1])
            removed = set(record["removed"])
            changed = change(record["data"]["entries"], removed, record["answer"])
            if not changed or not (source or record["data"]["entries"] or removed):
                return None  # no change, or nothing worth a new record
            record["removed"] = sorted(removed)
            return settled(record, record["answer"])
        keys = [record_id(i) for i in answer_ids]
        answers = []
        for start in range(0, len(keys), CHUNK):  # one real-time _mget and one _bulk per chunk
            records, changed = change_many(self.records, keys[start:start + CHUNK], apply)
            if after is not None:
                after.update(records)
            done = [key.split(":", 1)[1] for key in changed]
            index_sync.queue_ids(get_db(), done)  # the index learns them as each chunk lands
            answers += done
        return answers

    def change_codes(self, response_id, add, remove, actor):
        """Add and remove codes (by name) on one answer; returns its codes afterwards."""
        codes = self.codes()
        adding = [self.code_named(n, codes)["id"] for n in add]
        removing = [self.code_named(n, codes)["id"] for n in remove]

        def change(entries, removed, _answer):
            for code_id in adding:
                entries.setdefault(code_id, entry(actor))
            for code_id in removing:
                if entries.pop(code_id, None):
                    removed.add(code_id)
            removed.difference_update(adding)
            return True
        after = {}
        self.change_answers([response_id], change, after)
        audit.log_action(get_db(), actor, "code.answer", 1, "id")  # the audit counts answers: one
        return sorted(codes[c]["name"] for c in (after[record_id(response_id)] or {}).get("codes", []) if c in codes)

    def forget_codings(self, answer_ids):
        """Erased answers: their codings go too (bulk deletes: the role has no DELETE verb)."""
        answer_ids = list(answer_ids)
        for start in range(0, len(answer_ids), 500):
            lines = b"".join(es_client.delete_line(record_id(i)) for i in answer_ids[start:start + 500])
            if any(status not in (200, 404) for status, _ in self.records.bulk(lines, refresh=True)):
                raise es_client.DomainUnavailable("The workspace in the search domain kept some erased answers' codings.")

    def codes_for(self, response_ids):
        """{answer id: [code names, sorted]} for the answers that have any."""
        names = self.code_names()
        found = {}
        ids = list(response_ids)
        for start in range(0, len(ids), 500):
            records = self.records.existing([record_id(i) for i in ids[start:start + 500]])
            for record in records.values():
                if codes := sorted(names[c] for c in record["codes"] if c in names):
                    found[record["answer"]] = codes
        return found

    def codings_of(self, response_id):
        """One answer's codes with who gave each, when, and whether automatically."""
        return self.codings_for([response_id]).get(response_id, [])

    def codings_for(self, response_ids):
        """{answer id: its codes with who gave each, when, whether automatically}, one _mget per 500 answers."""
        names = self.code_names()
        found = {}
        ids = list(response_ids)
        for start in range(0, len(ids), 500):
            for record in self.records.existing([record_id(i) for i in ids[start:start + 500]]).values():
                rows = [{"name": names[c], "by": e["by"], "at": e["at"], "auto": e["auto"]}
                        for c, e in record["data"]["entries"].items() if c in names]
                if rows:
                    found[record["answer"]] = sorted(rows, key=lambda row: row["name"])
        return found

    def answers_with(self, field, value):
        """Every answer id whose codings record has value in field (codes, removed, batches)."""
        body, after = {"query": {"bool": {"filter": [{"term": {"kind": "codings"}}, {"term": {field: value}}]}},
                       "sort": [{"answer": "asc"}], "size": PAGE, "_source": False}, None
        while True:
            hits = self.records.search(dict(body, search_after=[after]) if after else body)["hits"]["hits"]
            yield from (hit["sort"][0] for hit in hits)
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"][0]

    def code_counts(self, code_ids):
        """{code id: answers carrying it}."""
        body = {"size": 0, "query": {"term": {"kind": "codings"}},
                "aggs": {"codes": {"terms": {"field": "codes", "size": max(1, len(code_ids))}}}}
        buckets = self.records.search(body)["aggregations"]["codes"]["buckets"]
        return {bucket["key"]: bucket["doc_count"] for bucket in buckets}


    def answers_with_any(self, families):
        """{key: how many answers carry any of its codes (each once)} for {key: [code ids]}, in one search."""
        filters = {str(key): {"terms": {"codes": list(ids)}} for key, ids in families.items()}
        body = {"size": 0, "query": {"term": {"kind": "codings"}}, "aggs": {"families": {"filters": {"filters": filters}}}}
        buckets = self.records.search(body)["aggregations"]["families"]["buckets"]
        return {key: buckets[str(key)]["doc_count"] for key in families}
