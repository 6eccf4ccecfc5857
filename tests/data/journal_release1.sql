-- The journal schema of the release before surveys (commit 74a5355), with two answers in it.
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
    essay_hash TEXT
);
CREATE INDEX IF NOT EXISTS responses_submitted ON responses (submitted_at);
CREATE INDEX IF NOT EXISTS responses_email ON responses (email);
CREATE INDEX IF NOT EXISTS responses_client_ip ON responses (client_ip);
CREATE INDEX IF NOT EXISTS responses_essay_hash ON responses (essay_hash, submitted_at);
CREATE INDEX IF NOT EXISTS responses_spam ON responses (is_spam);
CREATE INDEX IF NOT EXISTS responses_state ON responses (state, next_attempt);
CREATE VIRTUAL TABLE IF NOT EXISTS essays USING fts5 (
    essay, content='responses', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS erased (id TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS responses_ai AFTER INSERT ON responses BEGIN
    INSERT INTO essays (rowid, essay) VALUES (new.seq, new.essay);
END;
CREATE TRIGGER IF NOT EXISTS responses_ad AFTER DELETE ON responses BEGIN
    INSERT INTO essays (essays, rowid, essay) VALUES ('delete', old.seq, old.essay);
END;
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    count INTEGER NOT NULL,
    scope TEXT NOT NULL
);
PRAGMA journal_mode = WAL;
INSERT INTO responses (id, essay, email, client_ip, submitted_at, is_spam, spam_score, tags, user_agent, state, essay_hash)
VALUES ('0b6e5d8e-3f4c-4f2a-9a55-3e7a2c1d9b01', 'The old release kept my answer about slow deploys.', 'old@example.org',
        '192.0.2.7', '2026-02-01T10:00:00.000000+00:00', 0, 0.0, '["v1"]', 'Firefox', 'shipped', 'x'),
       ('0b6e5d8e-3f4c-4f2a-9a55-3e7a2c1d9b02', 'Spam spam spam from before.', 'bot@example.org',
        '192.0.2.8', '2026-02-02T10:00:00.000000+00:00', 1, 0.9, '["v1"]', NULL, 'pending', 'y');
