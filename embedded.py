"""The embedded search engine: SQLite FTS5 over the journal's essays."""
from datetime import datetime, timedelta, timezone

from markupsafe import Markup, escape

import journal
from insights import fill_days
from search import Hit, Overview, Page

OPEN, CLOSE = "\x02", "\x03"  # highlight marks; the form strips control characters from essays
SNIPPET_CHARS = 240


def fts_term(term):
    """A Term as an FTS5 string: always quoted, so user text is never FTS5 syntax."""
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def fts_match(groups):
    """FTS5 expression requiring every OR-group."""
    return " AND ".join("(" + " OR ".join(map(fts_term, group)) + ")" for group in groups)


def highlight(text):
    """Escape a snippet, then turn the private marks into <mark> tags."""
    safe = str(escape(text)).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return Markup(safe)


def _filters(query):
    where, params = [], []
    if query.date_from:
        where.append("r.submitted_at >= ?")
        params.append(query.date_from.isoformat())
    if query.date_to:
        where.append("r.submitted_at < ?")
        params.append((query.date_to + timedelta(days=1)).isoformat())
    if query.spam:
        where.append("r.is_spam = ?")
        params.append(1 if query.spam == "only" else 0)
    if query.email:
        where.append("r.email = ?")
        params.append(query.email)
    return where, params


MATCHED = "essays JOIN responses r ON r.seq = essays.rowid"


def _selection(query):
    """(source, where clause, params) selecting every answer the query matches."""
    groups, excluded = query.terms()
    where, params = _filters(query)
    if excluded:
        where.append("r.seq NOT IN (SELECT rowid FROM essays WHERE essays MATCH ?)")
        params.append(" OR ".join(map(fts_term, excluded)))
    if groups:
        where.insert(0, "essays MATCH ?")
        params.insert(0, fts_match(groups))
    clause = " WHERE " + " AND ".join(where) if where else ""
    return (MATCHED if groups else "responses r"), clause, params


def _opening(essay):
    return highlight(essay[:SNIPPET_CHARS] + ("…" if len(essay) > SNIPPET_CHARS else ""))


class EmbeddedBackend:
    """Search, fetch and delete answers in the local journal."""

    def __init__(self, rank_window=5000):
        self.rank_window = rank_window

    def search(self, query):
        """One page of matches: by relevance when there are words, else newest first."""
        source, clause, params = _selection(query)
        if clause == " WHERE essays MATCH ?":
            source = "essays"  # words only: count and rank without joining every match
        db = journal.get_db()
        total = db.execute(f"SELECT count(*) FROM {source}{clause}", params).fetchone()[0]
        if source == "responses r":
            return Page(query, total, self._newest(db, query, clause, params))
        return Page(query, total, self._ranked(db, query, source, clause, params))

    @staticmethod
    def _newest(db, query, clause, params):
        rows = db.execute(f"SELECT r.* FROM responses r{clause} ORDER BY r.submitted_at DESC, r.seq DESC "
                          "LIMIT ? OFFSET ?", [*params, query.per_page, query.offset]).fetchall()
        return [Hit(journal.to_document(r), _opening(r["essay"])) for r in rows]

    def _ranked(self, db, query, source, clause, params):
        # bm25 costs ~1.5 us per match: rank within the newest `window` matches, not all of them.
        window = max(self.rank_window, query.offset + query.per_page) if self.rank_window else -1
        ids = [r[0] for r in db.execute(
            f"SELECT seq FROM (SELECT essays.rowid AS seq, bm25(essays) AS score FROM {source}{clause} "
            "ORDER BY essays.rowid DESC LIMIT ?) ORDER BY score, seq DESC LIMIT ? OFFSET ?",
            [*params, window, query.per_page, query.offset])]
        marks = ", ".join("?" * len(ids))
        rows = {r["seq"]: r for r in db.execute(
            f"SELECT r.*, snippet(essays, 0, char(2), char(3), '…', 32) AS snip FROM {MATCHED} "
            f"WHERE essays MATCH ? AND essays.rowid IN ({marks})", [params[0], *ids])}
        return [Hit(journal.to_document(rows[i]), highlight(rows[i]["snip"])) for i in ids]

    def scan(self, query, batch=500):
        """Every match, newest first, read in batches so memory stays flat."""
        source, clause, params = _selection(query)
        cursor = journal.get_db().execute(
            f"SELECT r.* FROM {source}{clause} ORDER BY r.submitted_at DESC, r.seq DESC", params)
        while rows := cursor.fetchmany(batch):
            yield from map(journal.to_document, rows)

    def overview(self, query):
        """Totals over everything, and answers per day for the query."""
        db, today = journal.get_db(), datetime.now(timezone.utc).date()
        count = lambda sql, *args: db.execute(f"SELECT count(*) FROM responses {sql}", args).fetchone()[0]
        source, clause, params = _selection(query)
        days = db.execute(f"SELECT substr(r.submitted_at, 1, 10) AS day, count(*) FROM {source}{clause} "
                          "GROUP BY day ORDER BY day", params).fetchall()
        return Overview(
            total=count(""),
            today=count("WHERE submitted_at >= ?", today.isoformat()),
            last_7_days=count("WHERE submitted_at >= ?", (today - timedelta(days=6)).isoformat()),
            spam=count("WHERE is_spam = 1"),
            per_day=fill_days(days),
        )

    def get(self, doc_id):
        """One answer by id, or None."""
        return journal.fetch(doc_id)

    def delete(self, doc_ids):
        """Erase answers from the journal and the FTS index."""
        return journal.delete(doc_ids)

    def status(self):
        """Health of the engine for /healthz."""
        return "embedded"
