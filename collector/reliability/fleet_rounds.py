"""Search mode: reliability rounds as workspace records, shared by every instance.

`round:<id>` holds the round (and, once closed, the adjudicator's decisions); each coder's codes are one
record of their own, `round:<id>:coder:<digest of the name>`, so coders never write the same record, and a
coder's two tabs still lose nothing (versioned writes). Both list the answers they speak of in `answer`, so
that erasing an answer finds what coders said of it (and rounds, few, are read whole).
"""
import hashlib
import uuid

from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.workspace.versioned import change_many, change_one


def coder_record(round_id, coder):
    """The record id of one coder's codes in a round."""
    return f"round:{round_id}:coder:{hashlib.sha256(coder.encode()).hexdigest()[:24]}"


def _round(record_id, source):
    return {"id": record_id.removeprefix("round:"), "creator_decides": False, **source["data"]}


class FleetRounds:
    """Rounds over the domain's workspace records (mixed into FleetCoding, which provides records)."""

    def create_round(self, fields, actor):
        """Start a round from {name, codes, params, units, coders, sample}; the round."""
        record_id = f"round:{uuid.uuid4().hex}"
        at = clock.stamp()
        source = {"kind": "round", "at": at, "actor": actor, "answer": [],
                  "data": {**fields, "created_by": actor, "created_at": at, "closed_at": None, "closed_by": None,
                           "decisions": {}}}
        self.records.put(record_id, source, op_type="create", refresh="true")
        audit.log_action(get_db(), actor, "round.create", len(fields["units"]), f"round:{fields['name']}")
        return _round(record_id, source)

    def rounds(self):
        """Every round, newest first."""
        body = {"query": {"term": {"kind": "round"}}, "sort": [{"at": "desc"}], "size": 1000}
        return [_round(hit["_id"], hit["_source"]) for hit in self.records.search(body)["hits"]["hits"]]

    def find_round(self, round_id):
        """One round, or None."""
        source = self.records.get(f"round:{round_id}")
        return source and source.get("kind") == "round" and _round(f"round:{round_id}", source) or None

    def judge(self, round_, coder, answer_id, code_ids):
        """Keep one coder's codes for one unit (replacing what they said before), unless the round is closed."""
        if (self.find_round(round_["id"]) or {}).get("closed_at"):
            raise UserError("The round is closed: its codes can no longer change.", 409)

        def keep(source):
            source = source or {"kind": "round-coder", "scope": f"round:{round_['id']}", "actor": coder,
                                "answer": [], "data": {"answers": {}}}
            source["data"]["answers"][answer_id] = {"codes": code_ids, "at": clock.stamp()}
            source["answer"] = sorted(source["data"]["answers"])
            return source
        change_one(self.records, coder_record(round_["id"], coder), keep)

    def judgments(self, round_):
        """{coder: {answer id: [code ids]}}."""
        body = {"query": {"bool": {"filter": [{"term": {"kind": "round-coder"}},
                                              {"term": {"scope": f"round:{round_['id']}"}}]}}, "size": 1000}
        hits = self.records.search(body)["hits"]["hits"]
        return {hit["_source"]["actor"]: {answer: entry["codes"] for answer, entry in
                                          hit["_source"]["data"]["answers"].items()} for hit in hits}

    def _change_round(self, round_, change):
        def apply(source):
            if source is None or source.get("kind") != "round":
                raise UserError("There is no such round.", 404)
            return change(source)
        return change_one(self.records, f"round:{round_['id']}", apply)[0]

    def close_round(self, round_, actor):
        """Close the round: no more coding in it; its report and adjudication open."""
        def close(source):
            if source["data"]["closed_at"]:
                raise UserError("The round is closed already.", 409)
            source["data"].update(closed_at=clock.stamp(), closed_by=actor)
            return source
        self._change_round(round_, close)
        audit.log_action(get_db(), actor, "round.close", len(round_["units"]), f"round:{round_['name']}")

    def decide(self, round_, answer_id, code_ids, actor):
        """Record the adjudicator's codes for one unit (the coders' own stay as they were)."""
        def decide(source):
            source["data"]["decisions"][answer_id] = {"codes": code_ids, "by": actor, "at": clock.stamp()}
            source["answer"] = sorted(source["data"]["decisions"])
            return source
        self._change_round(round_, decide)
        audit.log_action(get_db(), actor, "round.adjudicate", 1, f"round:{round_['name']}")

    def decisions(self, round_):
        """{answer id: {codes, by, at}}."""
        return (self.find_round(round_["id"]) or {}).get("decisions", {})

    def forget_in_rounds(self, answer_ids, emails=()):
        """Erased answers: what rounds said of them goes, and they leave the rounds' units (a round whose
        sample held one is one unit smaller: nothing of the answer stays, not even its id)."""
        gone = set(answer_ids)
        said = {"bool": {"filter": [{"term": {"kind": "round-coder"}}, {"terms": {"answer": sorted(gone)}}]}}
        body = {"query": {"bool": {"should": [said, {"term": {"kind": "round"}}]}}, "size": 10_000, "_source": False}
        record_ids = [hit["_id"] for hit in self.records.search(body)["hits"]["hits"]] if gone else []

        def drop(_, source):
            if source is None:
                return None
            held = source["data"].get("answers" if source["kind"] == "round-coder" else "decisions", {})
            for answer in gone & set(held):
                del held[answer]
            if "units" in source["data"]:
                source["data"]["units"] = [unit for unit in source["data"]["units"] if unit not in gone]
            source["answer"] = sorted(held)
            return source
        change_many(self.records, record_ids, drop)
