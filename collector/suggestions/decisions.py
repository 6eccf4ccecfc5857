"""Analysts' accept/reject decisions on a code's suggestions, in one of two homes: the journal
(embedded) or the workspace record `suggest:<code id>` (search mode, shared by the fleet). A decision
is an example for the next model: accepted answers carry the code, rejected ones are negatives."""

from collector import workspace
from collector.common import clock
from collector.common.slots import Slot
from collector.journal import audit, get_db
from collector.journal.writes import transaction
from collector.workspace.versioned import change_many, change_one

DECISIONS = Slot("suggestion_decisions")


class JournalDecisions:
    """Decisions in the journal's suggestion_decisions table."""

    def decide(self, code_id, answer_id, accepted, actor):
        """Record one decision (replacing an earlier one on the same answer)."""
        db = get_db()
        with transaction(db):
            db.execute("INSERT OR REPLACE INTO suggestion_decisions (code_id, response_id, accepted, by, at) "
                       "VALUES (?, ?, ?, ?, ?)", (code_id, answer_id, int(accepted), actor, clock.stamp()))
            audit.log_action(db, actor, "suggestion.accept" if accepted else "suggestion.reject", 1, "suggestion")

    def decided(self, code_id):
        """{answer id: accepted} for a code."""
        rows = get_db().execute("SELECT response_id, accepted FROM suggestion_decisions WHERE code_id = ?", (code_id,))
        return {answer: bool(accepted) for answer, accepted in rows}


class FleetDecisions:
    """Decisions in the workspace, one record per code."""

    def __init__(self, app):
        self.records = workspace.of(app).records

    def decide(self, code_id, answer_id, accepted, actor):
        """Record one decision (replacing an earlier one on the same answer)."""
        def keep(source):
            source = source or {"kind": "suggest", "answer": [], "data": {"answers": {}}}
            source["data"]["answers"][answer_id] = {"accepted": bool(accepted), "by": actor, "at": clock.stamp()}
            source["answer"] = sorted(source["data"]["answers"])
            return source
        change_one(self.records, f"suggest:{code_id}", keep)
        audit.log_action(get_db(), actor, "suggestion.accept" if accepted else "suggestion.reject", 1, "suggestion")

    def decided(self, code_id):
        """{answer id: accepted} for a code."""
        source = self.records.get(f"suggest:{code_id}")
        return {a: d["accepted"] for a, d in source["data"]["answers"].items()} if source else {}

    def forget_decisions(self, answer_ids, emails=()):
        """Erased answers: their decisions go too."""
        gone = set(answer_ids)
        hits = self.records.search({"query": {"bool": {"filter": [{"term": {"kind": "suggest"}}, {"terms": {
            "answer": sorted(gone)}}]}}, "size": 10_000, "_source": False})["hits"]["hits"] if gone else []

        def drop(_, source):
            for answer in gone & set(source["data"]["answers"]) if source else ():
                del source["data"]["answers"][answer]
            return source and dict(source, answer=sorted(source["data"]["answers"]))
        change_many(self.records, [hit["_id"] for hit in hits], drop)


def migrate_decisions(db, records, code):
    """`flask workspace migrate`: this journal's decisions into the fleet's `suggest:` records (the fleet's
    own decision on an answer wins); how many. code(journal id) gives a code's fleet id."""
    rows = db.execute("SELECT code_id, response_id, accepted, by, at FROM suggestion_decisions").fetchall()
    by_code = {}
    for code_id, answer, accepted, by, at in rows:
        by_code.setdefault(code(code_id), {})[answer] = {"accepted": bool(accepted), "by": by, "at": at}

    def merge(record_id, source):
        source = source or {"kind": "suggest", "answer": [], "data": {"answers": {}}}
        for answer, decision in by_code[record_id.removeprefix("suggest:")].items():
            source["data"]["answers"].setdefault(answer, decision)
        return dict(source, answer=sorted(source["data"]["answers"]))
    change_many(records, [f"suggest:{code_id}" for code_id in by_code], merge)
    return len(rows)


def init_app(app, store):
    """Keep the app's decisions store (built for the mode by the composition root)."""
    DECISIONS.put(app, store)


def current():
    """The current app's decisions store."""
    return DECISIONS.of()
