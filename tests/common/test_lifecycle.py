"""Every table and record kind that can name an answer has a store that forgets it: a new table or kind
fails here until someone says which registered forget takes it (common/lifecycle.py), or why none must."""
import re
import sqlite3
from pathlib import Path

import pytest

from collector.common import lifecycle

ROOT = Path(__file__).resolve().parents[2]
# Journal tables (embedded mode's whole workspace, and every instance's own answers): wipe.delete takes them.
JOURNAL_FORGETS = {"responses", "essays", "answer_words", "plain_words", "answer_plain", "answer_values", "fts_queue",
                   "codings", "code_changes", "code_merges", "code_splits", "codes", "memos", "rounds", "round_codings",
                   "round_decisions", "suggestion_decisions", "drafts", "saved_searches", "code_batches",
                   "answer_vectors"}
# Tables that never hold an answer, its text, email or id: `erased` holds digests, `vector_matrix` a flag and
# `vector_changes` row numbers (the "meaning matrix" forget zeroes their vectors).
NO_ANSWER = {"analyst_sessions", "team", "audit_log", "heartbeat", "cursors", "erased", "sqlite_sequence",
             "vector_matrix", "vector_changes"}
# Each workspace record kind that can name an answer, and the registered store that forgets it there.
RECORD_FORGETS = {"codings": "coding", "memo": "coding", "merge": "coding", "split": "coding", "codebook": "coding",
                  "saved": "coding", "batch": "coding", "round": "rounds", "round-coder": "rounds",
                  "suggest": "suggestion decisions", "draft": "drafts", "place": "places"}
NO_ANSWER_KINDS = {"audit", "session", "team", "erased", "places", "followup"}  # digests; a count; a code id


def test_every_journal_table_is_forgotten_by_the_journal_or_holds_no_answer(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    fts_shadows = {name for name in tables if re.fullmatch(r"(essays|answer_words|plain_words|answer_plain)_\w+", name)}
    assert tables - fts_shadows - {"plain_vocab"} == JOURNAL_FORGETS | NO_ANSWER
    wipe = (ROOT / "collector/journal/wipe.py").read_text()
    by_triggers = {"essays", "answer_words", "plain_words", "answer_plain", "answer_values", "fts_queue", "answer_vectors"}
    redacted_by_email = {"saved_searches", "code_batches"}
    assert all(table in wipe for table in JOURNAL_FORGETS - by_triggers - redacted_by_email)


def test_every_workspace_record_kind_is_forgotten_by_a_registered_store_or_holds_no_answer(search_app):
    kinds = set(re.findall(r'"kind": "([a-z-]+)"', "".join(p.read_text() for p in (ROOT / "collector").rglob("*.py"))))
    assert kinds == set(RECORD_FORGETS) | NO_ANSWER_KINDS
    assert set(RECORD_FORGETS.values()) <= {f.name for f in lifecycle.forgetters(search_app)}


def test_a_store_registers_once(app):
    with pytest.raises(ValueError, match="journal"):
        lifecycle.register(app, "journal", lambda answer_ids, emails: None)
