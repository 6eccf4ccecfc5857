"""Ids the journal never gives twice. The coding tables' ids are AUTOINCREMENT, so a deleted code's id
never goes to the next code (an undo, a memo, a suggestion decision or a trained model keyed by it would
then belong to another code), nor a batch's, merge's, split's, memo's or round's to the next one.

A journal from before is rebuilt once: each table copied into its AUTOINCREMENT form, and its sequence
set past every id it gave that anything still names (a deleted code's codings, batches, merges...)."""
import re

from collector.journal import coding_schema

TABLES = ("codes", "code_batches", "code_merges", "code_splits", "saved_searches", "memos", "rounds")
# Beside each table's own rows: where ids it gave may still be named after their row was deleted.
NAMED = {
    "codes": ["SELECT max(code_id) FROM codings", "SELECT max(code_id) FROM code_batches",
              "SELECT max(max(source_id, target_id)) FROM code_merges",
              "SELECT max(max(source_id, new_id)) FROM code_splits",
              "SELECT max(code_id) FROM suggestion_decisions", "SELECT max(code_id) FROM saved_searches",
              "SELECT max(CAST(substr(target, 6) AS INTEGER)) FROM memos WHERE target LIKE 'code:%'"],
    "code_batches": ["SELECT max(batch) FROM codings"],
}


def rebuild(db):
    """The SQL that gives every coding table of an older journal its AUTOINCREMENT (empty when none lacks it)."""
    older = [table for (table, sql) in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
             if table in TABLES and "AUTOINCREMENT" not in sql]
    return "".join(_rebuilt(db, table) for table in older)


def _rebuilt(db, table):
    """Copy one table into its AUTOINCREMENT form; its sequence starts past every id still named."""
    columns = ", ".join(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
    create = re.search(rf"CREATE TABLE IF NOT EXISTS {table} \(.*?\n\);", coding_schema.SCHEMA, re.S).group(0)
    highest = ", ".join(f"coalesce(({query}), 0)" for query in [f"SELECT max(id) FROM {table}", *NAMED.get(table, [])])
    return (f"ALTER TABLE {table} RENAME TO {table}_before;\n{create}\n"
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}_before;\nDROP TABLE {table}_before;\n"
            f"DELETE FROM sqlite_sequence WHERE name = '{table}';\n"
            f"INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', max(0, {highest}));\n")
