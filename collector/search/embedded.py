"""The embedded search engine: SQLite FTS5 over the journal's essays."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from collector import journal
from collector.search.insights import fill_days
from collector.search.model import Hit, Overview, Page
from collector.search.snippets import highlight, opening

MATCHED = "essays JOIN responses r ON r.seq = essays.rowid"


def fts_term(term):
    """A Term as an FTS5 string: always quoted, so user text is never FTS5 syntax."""
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def fts_match(groups):
    """FTS5 expression requiring every OR-group."""
    return " AND ".join("(" + " OR ".join(map(fts_term, group)) + ")" for group in groups)


def _conditions(query):
    """SQL conditions and their parameters for the query's filters (not its words)."""
    conditions, params = [], []
    if query.date_from:
        conditions.append("r.submitted_at >= ?")
        params.append(query.date_from.isoformat())
    if query.date_to:
        conditions.append("r.submitted_at < ?")
        params.append((query.date_to + timedelta(days=1)).isoformat())
    if query.spam:
        conditions.append("r.is_spam = ?")
        params.append(1 if query.spam == "only" else 0)
    if query.email:
        conditions.append("r.email = ?")
        params.append(query.email)
    return conditions, params


@dataclass(frozen=True)
class Selection:
    """The answers a query selects: an FTS5 expression to match (or None) and SQL filters."""

    match: str | None
    conditions: tuple = ()
    params: tuple = ()

    @classmethod
    def of(cls, query):
        """The Selection for a Query's words, exclusions and filters."""
        groups, excluded = query.terms()
        conditions, params = _conditions(query)
        if excluded:
            conditions.append("r.seq NOT IN (SELECT rowid FROM essays WHERE essays MATCH ?)")
            params.append(" OR ".join(map(fts_term, excluded)))
        return cls(fts_match(groups) if groups else None, tuple(conditions), tuple(params))

    @property
    def words_only(self):
        """True when FTS5 alone can answer: words to match and no filter on the rows."""
        return self.match is not None and not self.conditions

    def sql(self, rows=True):
        """(FROM source, WHERE clause, params); rows=False may skip joining the rows table."""
        where = (["essays MATCH ?"] if self.match else []) + list(self.conditions)
        params = ([self.match] if self.match else []) + list(self.params)
        clause = " WHERE " + " AND ".join(where) if where else ""
        if self.match is None:
            return "responses r", clause, params
        return ("essays" if self.words_only and not rows else MATCHED), clause, params


class EmbeddedEngine:
    """Search, fetch and delete answers in the local journal."""

    def __init__(self, rank_window=5000):
        self.rank_window = rank_window

    def search(self, query):
        """One page of matches: by relevance when there are words, else newest first."""
        selection, db = Selection.of(query), journal.get_db()
        source, clause, params = selection.sql(rows=False)
        total = db.execute(f"SELECT count(*) FROM {source}{clause}", params).fetchone()[0]
        if selection.match is None:
            return Page(query, total, self._newest(db, query, clause, params))
        return Page(query, total, self._ranked(db, query, selection))

    @staticmethod
    def _newest(db, query, clause, params):
        rows = db.execute(f"SELECT r.* FROM responses r{clause} ORDER BY r.submitted_at DESC, r.seq DESC "
                          "LIMIT ? OFFSET ?", [*params, query.per_page, query.offset]).fetchall()
        return [Hit(journal.to_document(r), opening(r["essay"])) for r in rows]

    def _ranked(self, db, query, selection):
        # bm25 costs ~1.5 us per match: rank within the newest `window` matches, not all of them.
        source, clause, params = selection.sql(rows=False)
        window = max(self.rank_window, query.offset + query.per_page) if self.rank_window else -1
        ids = [r[0] for r in db.execute(
            f"SELECT seq FROM (SELECT essays.rowid AS seq, bm25(essays) AS score FROM {source}{clause} "
            "ORDER BY essays.rowid DESC LIMIT ?) ORDER BY score, seq DESC LIMIT ? OFFSET ?",
            [*params, window, query.per_page, query.offset])]
        marks = ", ".join("?" * len(ids))
        rows = {r["seq"]: r for r in db.execute(
            f"SELECT r.*, snippet(essays, 0, char(2), char(3), '…', 32) AS snip FROM {MATCHED} "
            f"WHERE essays MATCH ? AND essays.rowid IN ({marks})", [selection.match, *ids])}
        return [Hit(journal.to_document(rows[i]), highlight(rows[i]["snip"])) for i in ids]

    def scan(self, query, batch=500):
        """Every match, newest first, read in batches so memory stays flat."""
        source, clause, params = Selection.of(query).sql()
        cursor = journal.get_db().execute(
            f"SELECT r.* FROM {source}{clause} ORDER BY r.submitted_at DESC, r.seq DESC", params)
        while rows := cursor.fetchmany(batch):
            yield from map(journal.to_document, rows)

    def overview(self, query):
        """Totals over everything, and answers per day for the query."""
        db, today = journal.get_db(), datetime.now(timezone.utc).date()

        def count(sql, *args):
            return db.execute(f"SELECT count(*) FROM responses {sql}", args).fetchone()[0]

        source, clause, params = Selection.of(query).sql()
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
