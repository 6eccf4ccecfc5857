"""The journal's tables, and the steps that bring a journal from an older release up to date."""
from collector.journal import audit, coding_schema, never_reused, writes

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    essay TEXT NOT NULL,
    email TEXT NOT NULL,
    client_ip TEXT,
    submitted_at TEXT NOT NULL,
    is_spam INTEGER NOT NULL DEFAULT 0,
    spam_score REAL NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    user_agent TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'shipped', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt REAL NOT NULL DEFAULT 0,
    claimed_until REAL NOT NULL DEFAULT 0,
    essay_hash TEXT,
    survey TEXT NOT NULL DEFAULT 'survey',
    survey_version INTEGER NOT NULL DEFAULT 1,
    answers TEXT NOT NULL DEFAULT '{"essay": true}',
    spilled_at REAL NOT NULL DEFAULT 0,
    edited_at TEXT,
    history TEXT NOT NULL DEFAULT '[]',
    edit_key TEXT
);
CREATE INDEX IF NOT EXISTS responses_submitted ON responses (submitted_at);
-- What charts read of each match (day, spam flag): a few MB that stay cached, not 2 KB rows.
CREATE INDEX IF NOT EXISTS responses_facts ON responses (seq, submitted_at, is_spam);
CREATE INDEX IF NOT EXISTS responses_email ON responses (email);
CREATE INDEX IF NOT EXISTS responses_email_domain ON responses (substr(email, instr(email, '@')) COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS responses_client_ip ON responses (client_ip);
CREATE INDEX IF NOT EXISTS responses_essay_hash ON responses (essay_hash, submitted_at);
CREATE INDEX IF NOT EXISTS responses_spam ON responses (is_spam);
CREATE INDEX IF NOT EXISTS responses_state ON responses (state, next_attempt);
CREATE INDEX IF NOT EXISTS responses_survey ON responses (survey, submitted_at);
CREATE VIRTUAL TABLE IF NOT EXISTS essays USING fts5 (
    essay, content='responses', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
);
-- One row per text answer, only for responses with two or more of them (a lone text answer is
-- the essays row itself); rowid = seq * 64 + the answer's position, so seq = rowid >> 6.
CREATE VIRTUAL TABLE IF NOT EXISTS answer_words USING fts5 (
    body, question UNINDEXED, tokenize='porter unicode61 remove_diacritics 2'
);
-- The same texts as typed (no stemming) for prefixes, so `deploy*` finds the words that begin with
-- "deploy", as on the domain's essay.plain field; prefix='3' indexes the shortest allowed prefix.
CREATE VIRTUAL TABLE IF NOT EXISTS plain_words USING fts5 (
    essay, content='responses', content_rowid='seq', tokenize='unicode61 remove_diacritics 2', prefix='3'
);
-- How many answers hold each word as typed: the background of distinctive terms.
CREATE VIRTUAL TABLE IF NOT EXISTS plain_vocab USING fts5vocab (plain_words, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS answer_plain USING fts5 (
    body, question UNINDEXED, tokenize='unicode61 remove_diacritics 2', prefix='3'
);
-- Tombstones, by the answer id's tombstone_key (a digest: no tombstone names an answer). recheck_after
-- > 0: a shipment of the answer was in flight when it was erased, and may re-create it in the index;
-- it is deleted there again after that time, crash or not, and only until then recheck_id keeps its id.
CREATE TABLE IF NOT EXISTS erased (
    id TEXT PRIMARY KEY, at TEXT NOT NULL, recheck_after REAL NOT NULL DEFAULT 0, recheck_id TEXT
);
CREATE INDEX IF NOT EXISTS erased_recheck ON erased (recheck_after) WHERE recheck_after > 0;
-- How far this instance has read a fleet-wide list (the tombstones it learned of): epoch milliseconds.
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, at INTEGER NOT NULL);
-- /healthz writes here: only a real, synced write proves an answer could be stored now.
CREATE TABLE IF NOT EXISTS analyst_sessions (
    token TEXT PRIMARY KEY, name TEXT NOT NULL, fingerprint TEXT NOT NULL, started REAL NOT NULL, seen REAL NOT NULL
);
-- Each answer's meaning as a unit vector (float32 bytes, meaning/embedder.py), computed in the background;
-- shipped = 1 once the search index has it too (search mode).
CREATE TABLE IF NOT EXISTS answer_vectors (
    response_id TEXT PRIMARY KEY, vector BLOB NOT NULL, shipped INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS answer_vectors_unshipped ON answer_vectors (response_id) WHERE shipped = 0;
-- Rows of answer_vectors changed since this instance's matrix file (meaning/matrix.py) took them, noted
-- only once it keeps one (a row in vector_matrix: embedded mode; a fleet searches vectors in its index).
CREATE TABLE IF NOT EXISTS vector_matrix (id INTEGER PRIMARY KEY CHECK (id = 1));
CREATE TABLE IF NOT EXISTS vector_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, row INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS answer_vectors_ai AFTER INSERT ON answer_vectors WHEN EXISTS (SELECT 1 FROM vector_matrix)
    BEGIN INSERT INTO vector_changes (row) VALUES (new.rowid); END;
CREATE TRIGGER IF NOT EXISTS answer_vectors_ad AFTER DELETE ON answer_vectors WHEN EXISTS (SELECT 1 FROM vector_matrix)
    BEGIN INSERT INTO vector_changes (row) VALUES (old.rowid); END;
CREATE TRIGGER IF NOT EXISTS answer_vectors_au AFTER UPDATE OF vector ON answer_vectors
    WHEN EXISTS (SELECT 1 FROM vector_matrix) BEGIN INSERT INTO vector_changes (row) VALUES (new.rowid); END;
-- The team: people an admin gave a role (outranking ANALYSTS or their groups), or who signed in.
CREATE TABLE IF NOT EXISTS team (
    name TEXT PRIMARY KEY, role TEXT, granted_by TEXT, at TEXT NOT NULL
);
-- Search mode: answers whose codes the index must learn (a partial update: it never creates a document).
CREATE TABLE IF NOT EXISTS code_changes (
    response_id TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 1, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0
);
-- Unfinished answers to paged surveys (embedded mode; a fleet keeps them in the workspace), by their
-- resume token: never searched, shipped or counted; deleted when finished or DRAFT_DAYS untouched.
CREATE TABLE IF NOT EXISTS drafts (
    token TEXT PRIMARY KEY, survey TEXT NOT NULL, page INTEGER NOT NULL, answers TEXT NOT NULL, hidden TEXT NOT NULL,
    created_at TEXT NOT NULL, touched REAL NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}'  -- its language, and the answer it edits (id, email): JSON
);
CREATE TABLE IF NOT EXISTS heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);
-- Each choice, rating, consent and hidden-field answer as a row (one per option of a multiple
-- choice): charts and filters read this index instead of parsing every answer's JSON.
CREATE TABLE IF NOT EXISTS answer_values (
    seq INTEGER NOT NULL, field TEXT NOT NULL, value NOT NULL, PRIMARY KEY (seq, field, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS answer_values_field ON answer_values (field, value, seq);
-- Answers not yet in essays/plain_words (fts.py indexes them in batches, off the submit path).
CREATE TABLE IF NOT EXISTS fts_queue (seq INTEGER PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS responses_ai AFTER INSERT ON responses BEGIN
    INSERT INTO fts_queue (seq) VALUES (new.seq);
    INSERT OR IGNORE INTO answer_values (seq, field, value) SELECT new.seq, f.key, e.value FROM (VALUES_OF);
END;
-- An answer still queued was never indexed: deleting it from an external-content table would corrupt it.
CREATE TRIGGER IF NOT EXISTS responses_ad AFTER DELETE ON responses BEGIN
    INSERT INTO essays (essays, rowid, essay) SELECT 'delete', old.seq, old.essay
        WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE seq = old.seq);
    INSERT INTO plain_words (plain_words, rowid, essay) SELECT 'delete', old.seq, old.essay
        WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE seq = old.seq);
    DELETE FROM fts_queue WHERE seq = old.seq;
    DELETE FROM answer_values WHERE seq = old.seq;
    DELETE FROM answer_vectors WHERE response_id = old.id;  -- erased, or edited: its meaning is computed again
    DELETE FROM answer_words WHERE rowid BETWEEN old.seq * 64 AND old.seq * 64 + 63;
    DELETE FROM answer_plain WHERE rowid BETWEEN old.seq * 64 AND old.seq * 64 + 63;
END;
"""
# The values of one answer (`answers` JSON): every scalar and array element that is not the lone
# text marker (true) or a long text. The same rows json_each(answers, '$.field') reads.
VALUES_OF = """json_each({answers}) f, json_each({answers}, '$."' || f.key || '"') e
    WHERE f.type != 'true' AND e.type IN ('text', 'integer', 'real') AND length(e.value) <= 200"""
SCHEMA = SCHEMA.replace("FROM (VALUES_OF)", "FROM " + VALUES_OF.format(answers="new.answers"))
FILL_CODING_SEQ = "UPDATE codings SET seq = (SELECT seq FROM responses WHERE id = codings.response_id);\n"
# Run once when a journal from before answer_values gains it.
FILL_VALUES = ("INSERT OR IGNORE INTO answer_values (seq, field, value) SELECT r.seq, f.key, e.value FROM responses r, "
               + VALUES_OF.format(answers="r.answers") + ";\n")
# Run once when a journal from before the prefix tables gains them.
FILL_PLAIN = """INSERT INTO plain_words (plain_words) VALUES ('rebuild');
INSERT INTO answer_plain (rowid, body, question) SELECT rowid, body, question FROM answer_words;
"""
# Tombstones from before they were digests: each answer id becomes its key (kept aside while a re-delete is owed).
HASH_TOMBSTONES = ("UPDATE erased SET recheck_id = CASE WHEN recheck_after > 0 THEN id END, id = tombstone_key(id) "
                   "WHERE length(id) = 36;\n")
# Columns added since the first release, with what existing rows get: before surveys, every
# answer belonged to the default survey, whose one question `essay` is the essay column.
ADDED_COLUMNS = [
    ("essay_hash", "TEXT"),
    ("survey", "TEXT NOT NULL DEFAULT 'survey'"),
    ("survey_version", "INTEGER NOT NULL DEFAULT 1"),
    ("answers", "TEXT NOT NULL DEFAULT '{\"essay\": true}'"),
    ("spilled_at", "REAL NOT NULL DEFAULT 0"),  # > 0: the spill store holds it, the store's drain ships it
    ("edited_at", "TEXT"),  # the respondent changed it (allow_edit_days); `history` holds what it replaced
    ("history", "TEXT NOT NULL DEFAULT '[]'"),
    ("edit_key", "TEXT"),  # the digest of the respondent's edit code; answers sent before have none
]


def _missing_columns(db, table, wanted):
    """ALTER statements for the columns an existing table lacks (none for a new table)."""
    columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    return [f"ALTER TABLE {table} ADD COLUMN {name} {spec};\n" for name, spec in wanted if columns and name not in columns]


def create_or_upgrade(db):
    """Bring any journal, new or from an earlier release, to the current schema, atomically."""
    coding_seq = _missing_columns(db, "codings", [("seq", "INTEGER")])
    added = "".join(_missing_columns(db, "responses", ADDED_COLUMNS)
                    + _missing_columns(db, "audit_log", audit.ADDED_COLUMNS)
                    + _missing_columns(db, "erased", [("recheck_after", "REAL NOT NULL DEFAULT 0"), ("recheck_id", "TEXT")])
                    + _missing_columns(db, "drafts", [("extra", "TEXT NOT NULL DEFAULT '{}'")])
                    # why its auto-coding stopped
                    + _missing_columns(db, "saved_searches", [("disabled", "TEXT")])
                    + (code_columns := _missing_columns(db, "codes", coding_schema.ADDED_CODE_COLUMNS))
                    + _missing_columns(db, "code_merges", [("tree", "TEXT NOT NULL DEFAULT '{}'")])
                    + _missing_columns(db, "rounds", [("creator_decides", "INTEGER NOT NULL DEFAULT 0")])
                    + coding_seq + ([FILL_CODING_SEQ] if coding_seq else [])
                    + ([coding_schema.FILL_KEYS] if any(" key TEXT" in line for line in code_columns) else []))
    fill = FILL_PLAIN if _has_table(db, "responses") and not _has_table(db, "plain_words") else ""
    fill += FILL_VALUES if _has_table(db, "responses") and not _has_table(db, "answer_values") else ""
    # One transaction, so a worker starting beside this one never sees half of it. The triggers
    # gained statements: they are dropped and made again (triggers have no ALTER).
    with writes.lock_for(db.execute("PRAGMA database_list").fetchone()[2]).held():
        db.executescript(f"BEGIN IMMEDIATE;\n{added}DROP TRIGGER IF EXISTS responses_ad;\n"
                         f"DROP TRIGGER IF EXISTS responses_ai;\n{SCHEMA}{coding_schema.SCHEMA}{audit.SCHEMA}{fill}"
                         f"{HASH_TOMBSTONES}COMMIT;")
        # its own transaction: it reads the tables as the first left them
        if rebuilt := never_reused.rebuild(db):
            db.executescript(f"BEGIN IMMEDIATE;\n{rebuilt}{coding_schema.SCHEMA}COMMIT;")


def _has_table(db, name):
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
