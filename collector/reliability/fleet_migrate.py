"""`flask workspace migrate`, the reliability part: this journal's rounds, each coder's codes and the
adjudicator's decisions, as the fleet's `round:` and round-coder records (ids from what they hold, each
created only where missing: safe to run again, from every instance)."""
import json

from collector.coding.fleet_migrate import stable_id
from collector.reliability.fleet_rounds import coder_record

ROUND_FIELDS = ("params", "units", "coders", "sample")


def migrate_rounds(db, records, code):
    """Copy every round with what its coders and adjudicator said; how many rounds. code(journal id, name)
    gives a code's fleet id."""
    rounds = db.execute("SELECT * FROM rounds ORDER BY id").fetchall()
    for row in rounds:
        round_id = stable_id("round", row["created_at"], row["created_by"], row["name"])
        rows = db.execute("SELECT response_id, codes, by, at FROM round_decisions WHERE round_id = ?", (row["id"],))
        decisions = {answer: {"codes": [code(i) for i in json.loads(codes)], "by": by, "at": at}
                     for answer, codes, by, at in rows}
        records.create(f"round:{round_id}", {
            "kind": "round", "at": row["created_at"], "actor": row["created_by"], "answer": sorted(decisions),
            "data": {"name": row["name"], "codes": [[code(i, name), name] for i, name in json.loads(row["codes"])],
                     **{field: json.loads(row[field]) for field in ROUND_FIELDS}, "created_by": row["created_by"],
                     "created_at": row["created_at"], "closed_at": row["closed_at"], "closed_by": row["closed_by"],
                     "creator_decides": bool(row["creator_decides"]), "decisions": decisions}})
        for coder, answers in _judgments(db, row["id"], code).items():
            records.create(coder_record(round_id, coder), {
                "kind": "round-coder", "scope": f"round:{round_id}", "actor": coder, "answer": sorted(answers),
                "data": {"answers": answers}})
    return len(rounds)


def _judgments(db, journal_round, code):
    """{coder: {answer: {codes, at}}} of one journal round."""
    found = {}
    for coder, answer, codes, at in db.execute("SELECT coder, response_id, codes, at FROM round_codings "
                                               "WHERE round_id = ?", (journal_round,)):
        found.setdefault(coder, {})[answer] = {"codes": [code(i) for i in json.loads(codes)], "at": at}
    return found
