"""The coding tables of the journal (embedded mode's coding store; search mode keeps these in the domain).
Their ids are AUTOINCREMENT: never given twice (never_reused.py brings older journals there)."""

# Columns codes gained with the hierarchy and definitions (examples: a JSON list of answer ids).
ADDED_CODE_COLUMNS = [("parent", "INTEGER"), ("definition", "TEXT NOT NULL DEFAULT ''"),
                      ("exclusion", "TEXT NOT NULL DEFAULT ''"), ("examples", "TEXT NOT NULL DEFAULT '[]'"),
                      ("key", "TEXT")]
# The coding view's keys (coding/keys.py), in the order codes take them.
KEYS = "123456789abcdefghilmnpqrstvwxyz"
KEY_LIST = "[" + ", ".join(f'"{key}"' for key in KEYS) + "]"
# A journal from before keys: its codes take them in the order they were made.
FILL_KEYS = (f"UPDATE codes SET key = substr('{KEYS}', r.n, 1) FROM (SELECT id, row_number() OVER "
             f"(ORDER BY created_at, id) AS n FROM codes) AS r WHERE codes.id = r.id AND r.n <= {len(KEYS)};\n")

SCHEMA = """
-- Coding (analysts' state: it lives here, beside the answers, as the source of truth).
CREATE TABLE IF NOT EXISTS codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE COLLATE NOCASE, description TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL, created_at TEXT NOT NULL, parent INTEGER, definition TEXT NOT NULL DEFAULT '',
    exclusion TEXT NOT NULL DEFAULT '', examples TEXT NOT NULL DEFAULT '[]', key TEXT
);
-- One row per answer and code ever applied; removed_at set when taken off (undo and re-sync read it).
CREATE TABLE IF NOT EXISTS codings (
    response_id TEXT NOT NULL, code_id INTEGER NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
    auto INTEGER NOT NULL DEFAULT 0, batch INTEGER, removed_at TEXT, seq INTEGER,
    PRIMARY KEY (response_id, code_id)
) WITHOUT ROWID;
-- seq: the answer's journal position (NULL for an answer another instance holds), so a code's
-- answers are one index range that FTS5 rowids can be checked against.
CREATE INDEX IF NOT EXISTS codings_code_seq ON codings (code_id, seq) WHERE removed_at IS NULL;
CREATE INDEX IF NOT EXISTS codings_seq ON codings (seq, code_id) WHERE removed_at IS NULL;
CREATE INDEX IF NOT EXISTS codings_code ON codings (code_id, response_id) WHERE removed_at IS NULL;
CREATE INDEX IF NOT EXISTS codings_batch ON codings (batch) WHERE batch IS NOT NULL;
CREATE TABLE IF NOT EXISTS code_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code_id INTEGER NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL, params TEXT NOT NULL,
    applied INTEGER NOT NULL, undone_at TEXT, undone_by TEXT
);
-- A merge of one code into another, with what undoing it needs: the code, its codings (JSON
-- [[answer, by, at, auto]]), the answers that gained the target (JSON) and the saved searches as they were.
CREATE TABLE IF NOT EXISTS code_merges (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source_id INTEGER NOT NULL, source_name TEXT NOT NULL,
    source_description TEXT NOT NULL, target_id INTEGER NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
    codings TEXT NOT NULL, moved TEXT NOT NULL, saved TEXT NOT NULL, undone_at TEXT, undone_by TEXT,
    tree TEXT NOT NULL DEFAULT '{}'
);
-- A split: some of one code's answers moved to a new code (JSON [[answer, by, at, auto]]), for its undo.
CREATE TABLE IF NOT EXISTS code_splits (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source_id INTEGER NOT NULL, new_id INTEGER NOT NULL, by TEXT NOT NULL,
    at TEXT NOT NULL, codings TEXT NOT NULL, undone_at TEXT, undone_by TEXT
);
-- coded_through: the journal seq up to which new answers were checked against the search.
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE COLLATE NOCASE, params TEXT NOT NULL, code_id INTEGER,
    coded_through INTEGER NOT NULL DEFAULT 0, created_by TEXT NOT NULL, created_at TEXT NOT NULL, disabled TEXT
);
-- Analysts' memos on a code or an answer (target: 'code:<id>' or 'answer:<id>'), dated and editable.
CREATE TABLE IF NOT EXISTS memos (
    id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, body TEXT NOT NULL, author TEXT NOT NULL,
    created_at TEXT NOT NULL, edited_at TEXT, edited_by TEXT
);
CREATE INDEX IF NOT EXISTS memos_target ON memos (target, id);
-- Reliability rounds: a sample of answers (units, JSON ids) coded blind by two or more coders; codes
-- JSON [[id, name]] as at the start, params the search (JSON pairs), sample how it was drawn (JSON).
CREATE TABLE IF NOT EXISTS rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, codes TEXT NOT NULL, params TEXT NOT NULL, units TEXT NOT NULL,
    coders TEXT NOT NULL, sample TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, closed_at TEXT,
    closed_by TEXT, creator_decides INTEGER NOT NULL DEFAULT 0
);
-- Each coder's codes (JSON code ids) for each unit, kept as given: the adjudication never changes them.
CREATE TABLE IF NOT EXISTS round_codings (
    round_id INTEGER NOT NULL, coder TEXT NOT NULL, response_id TEXT NOT NULL, codes TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (round_id, coder, response_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS round_decisions (
    round_id INTEGER NOT NULL, response_id TEXT NOT NULL, codes TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (round_id, response_id)
) WITHOUT ROWID;
-- Analysts' answers to a code's suggestions: accepted (the answer was given the code) or rejected.
CREATE TABLE IF NOT EXISTS suggestion_decisions (
    code_id INTEGER NOT NULL, response_id TEXT NOT NULL, accepted INTEGER NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (code_id, response_id)
) WITHOUT ROWID;
"""
SCHEMA += f"""
-- A new code takes the first key no code holds (a trigger allows no WITH: json_each lists the keys).
CREATE TRIGGER IF NOT EXISTS codes_key AFTER INSERT ON codes WHEN NEW.key IS NULL BEGIN
    UPDATE codes SET key = (SELECT value FROM json_each('{KEY_LIST}') WHERE value NOT IN
        (SELECT key FROM codes WHERE key IS NOT NULL) ORDER BY json_each.key LIMIT 1) WHERE id = NEW.id;
END;
"""
