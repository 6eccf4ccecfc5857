"""Reliability rounds in the journal (embedded mode; search mode: fleet_rounds.py)."""
import json

from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.journal.writes import transaction

JSON_COLUMNS = ("codes", "params", "units", "coders", "sample")


def _round(row):
    return (dict(row) | {key: json.loads(row[key]) for key in JSON_COLUMNS}
            | {"id": str(row["id"]), "creator_decides": bool(row["creator_decides"])})


class JournalRounds:
    """Rounds, each coder's codes and the adjudicator's decisions, in the journal's tables."""

    def create_round(self, fields, actor):
        """Start a round from {name, codes, params, units, coders, sample}; the round."""
        db = get_db()
        with transaction(db):
            values = (fields["name"], *(json.dumps(fields[k]) for k in JSON_COLUMNS), actor, clock.stamp(),
                      bool(fields.get("creator_decides")))
            row = db.execute("INSERT INTO rounds (name, codes, params, units, coders, sample, created_by, created_at, "
                             "creator_decides) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *", values).fetchone()
            audit.log_action(db, actor, "round.create", len(fields["units"]), f"round:{fields['name']}")
        return _round(row)

    def rounds(self):
        """Every round, newest first."""
        return [_round(row) for row in get_db().execute("SELECT * FROM rounds ORDER BY id DESC")]

    def find_round(self, round_id):
        """One round, or None."""
        row = get_db().execute("SELECT * FROM rounds WHERE id = ?", (round_id,)).fetchone()
        return row and _round(row)

    def judge(self, round_, coder, answer_id, code_ids):
        """Keep one coder's codes for one unit (replacing what they said before), unless the round is closed."""
        db = get_db()
        with transaction(db):
            if db.execute("SELECT closed_at FROM rounds WHERE id = ?", (round_["id"],)).fetchone()[0]:
                raise UserError("The round is closed: its codes can no longer change.", 409)
            db.execute("INSERT OR REPLACE INTO round_codings (round_id, coder, response_id, codes, at) VALUES "
                       "(?, ?, ?, ?, ?)", (round_["id"], coder, answer_id, json.dumps(code_ids), clock.stamp()))

    def judgments(self, round_):
        """{coder: {answer id: [code ids]}}."""
        found = {}
        for coder, answer, codes in get_db().execute("SELECT coder, response_id, codes FROM round_codings "
                                                     "WHERE round_id = ?", (round_["id"],)):
            found.setdefault(coder, {})[answer] = json.loads(codes)
        return found

    def close_round(self, round_, actor):
        """Close the round: no more coding in it; its report and adjudication open."""
        db = get_db()
        with transaction(db):
            if not db.execute("UPDATE rounds SET closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL",
                              (clock.stamp(), actor, round_["id"])).rowcount:
                raise UserError("The round is closed already.", 409)
            audit.log_action(db, actor, "round.close", len(round_["units"]), f"round:{round_['name']}")

    def decide(self, round_, answer_id, code_ids, actor):
        """Record the adjudicator's codes for one unit (the coders' own stay as they were)."""
        db = get_db()
        with transaction(db):
            db.execute("INSERT OR REPLACE INTO round_decisions (round_id, response_id, codes, by, at) VALUES "
                       "(?, ?, ?, ?, ?)", (round_["id"], answer_id, json.dumps(code_ids), actor, clock.stamp()))
            audit.log_action(db, actor, "round.adjudicate", 1, f"round:{round_['name']}")

    def decisions(self, round_):
        """{answer id: {codes, by, at}}."""
        rows = get_db().execute("SELECT response_id, codes, by, at FROM round_decisions WHERE round_id = ?",
                                (round_["id"],))
        return {answer: {"codes": json.loads(codes), "by": by, "at": at} for answer, codes, by, at in rows}
