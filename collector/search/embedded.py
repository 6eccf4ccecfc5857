"""The embedded search engine: SQLite FTS5 over the journal's answers."""
from datetime import timedelta

from collector import journal
from collector.common import clock
from collector.journal import fts, verdicts
from collector.meaning import vectors
from collector.search import by_meaning
from collector.search.charts import fill_days
from collector.search.embedded_analysis import EmbeddedAnalysis
from collector.search.results import Hit, Overview, Page
from collector.search.selection import MATCHED, any_term, for_journal
from collector.search.snippets import highlight, opening

SNIPPET = "snippet({table}, 0, char(2), char(3), '…', 32)"


class EmbeddedEngine(EmbeddedAnalysis):
    """Search and fetch answers in the local journal (which forgets erased ones itself)."""

    def __init__(self, rank_window=5000, vectors_folder=None):
        self.rank_window = rank_window
        self.vectors_folder = vectors_folder  # the instance's shared matrix file (meaning/matrix.py)

    def search(self, query):
        """One page of matches: by relevance when there are words, else newest first (or by meaning)."""
        if query.mode != "words":
            return by_meaning.search(self, query)
        db = fts.indexed_db()
        selection = for_journal(db, query)
        source, clause, params = selection.sql(rows=False, facts=True)
        total = db.execute(f"SELECT count(*) FROM {source}{clause}", params).fetchone()[0]
        if selection.ranked and query.sort == "relevance":
            rows = self._ranked(db, query, selection)
        elif selection.match is None or query.sort != "relevance":
            rows = self._by_date(db, query, selection)
        else:  # prefixes only: newest first in the order the FTS5 index keeps (journal order), no sort
            source, clause, params = selection.sql()
            rows = db.execute(f"SELECT r.* FROM {source}{clause} ORDER BY {selection.table}.rowid DESC LIMIT ? OFFSET ?",
                              [*params, query.per_page, query.offset]).fetchall()
        tables, words = any_term(query)
        return Page(query, total, [_hit(db, row, words, query.within, tables) for row in rows])

    @staticmethod
    def _by_date(db, query, selection):
        # Order the matches on the small facts index; read only the rows shown.
        source, clause, params = selection.sql(facts=True)
        order = "ASC" if query.sort == "oldest" else "DESC"
        seqs = [r[0] for r in db.execute(f"SELECT r.seq FROM {source}{clause} ORDER BY r.submitted_at {order}, "
                                         f"r.seq {order} LIMIT ? OFFSET ?", [*params, query.per_page, query.offset])]
        rows = {r["seq"]: r for r in db.execute(f"SELECT * FROM responses WHERE seq IN ({', '.join('?' * len(seqs))})",
                                                seqs)}
        return [rows[seq] for seq in seqs]

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
            f"SELECT r.*, {SNIPPET.format(table='essays')} AS snip FROM {MATCHED} "
            f"WHERE essays MATCH ? AND essays.rowid IN ({marks})", [selection.match, *ids])}
        return [rows[i] for i in ids]

    def scan(self, query, batch=500):
        """Every match, newest first, read in batches so memory stays flat."""
        source, clause, params = for_journal(fts.indexed_db(), query).sql()
        cursor = fts.indexed_db().execute(
            f"SELECT r.* FROM {source}{clause} ORDER BY r.submitted_at DESC, r.seq DESC", params)
        while rows := cursor.fetchmany(batch):
            yield from map(journal.to_document, rows)

    def overview(self, query, facets=()):
        """Totals over everything, answers per day and per facet value for the query."""
        db = fts.indexed_db()
        today = clock.utc().date()

        def count(sql, *args):
            return db.execute(f"SELECT count(*) FROM responses {sql}", args).fetchone()[0]

        selection = for_journal(db, query)
        source, clause, params = selection.sql(facts=True)
        days = db.execute(f"SELECT substr(r.submitted_at, 1, 10) AS day, count(*) FROM {source}{clause} "
                          "GROUP BY day ORDER BY day", params).fetchall()
        return Overview(
            total=count(""),
            today=count("WHERE submitted_at >= ?", today.isoformat()),
            last_7_days=count("WHERE submitted_at >= ?", (today - timedelta(days=6)).isoformat()),
            spam=count("WHERE is_spam = 1"),
            per_day=fill_days(days),
            distributions={name: _distribution(db, selection, name) for name in facets},
        )

    def get(self, doc_id):
        """One answer by id, or None."""
        return journal.fetch(doc_id)

    def nearest(self, vector, n=10, exclude=(), query=None):
        """[(doc, similarity)] closest in meaning: exact cosine over the answers' vectors in the journal."""
        db = fts.indexed_db()
        among = None if query is None else for_journal(db, query).sql()
        found = vectors.nearest(db, self.vectors_folder, vector, n, set(exclude), among)
        return [(doc, (1 + cosine) / 2) for doc_id, cosine in found if (doc := journal.fetch(doc_id)) is not None]

    def vectors(self, query, limit):
        """(ids, matrix) of the newest `limit` answers the query selects that have a vector."""
        db = fts.indexed_db()
        return vectors.matrix_of(db, self.vectors_folder, for_journal(db, query).sql(), limit)

    def mark_spam(self, doc_ids, is_spam):
        """An analyst's verdict on answers (it replaces the spam filter's); how many were found."""
        return verdicts.mark_spam(doc_ids, is_spam)

    def settle(self):
        """Every stored answer is searchable at once."""
        return True

    def status(self):
        """Health of the engine for /healthz."""
        return "embedded"


def _distribution(db, selection, name):
    """{value: answers} for one field; a multi-choice answer counts once per option."""
    if selection.match is None and not selection.conditions:  # every answer: the index alone
        return dict(db.execute("SELECT value, count(*) FROM answer_values WHERE field = ? GROUP BY value", (name,)))
    source, clause, params = selection.sql(rows=False, facts=True)
    seq = f"{selection.table}.rowid" if selection.match else "r.seq"
    # CROSS JOIN: the matches lead; the planner would otherwise walk the field's whole index and probe FTS5.
    return dict(db.execute(f"SELECT v.value, count(*) FROM {source} CROSS JOIN answer_values v ON v.seq = {seq} "
                           f"AND v.field = ?{clause} GROUP BY v.value", [name, *params]))


def _hit(db, row, words, within, tables=("essays", "answer_words")):
    """A Hit naming the question its snippet is from: the best-matching answer, else the first."""
    doc = journal.to_document(row)
    lone = journal.lone_text_question(row)
    if lone or not row["essay"]:  # the essays row is the one text answer (or there is none)
        snip = None
        if words and within in (None, lone):
            snip = row["snip"] if "snip" in row.keys() else _essay_snippet(db, words, row["seq"], tables[0])
        return Hit(doc, highlight(snip) if snip else opening(row["essay"]), lone)
    first = row["seq"] * 64
    last = row["seq"] * 64 + 63
    found = _answer_snippet(db, words, first, last, within, tables[1]) if words else None
    if found:
        return Hit(doc, highlight(found["snip"]), found["question"])
    text = db.execute("SELECT question, body FROM answer_words WHERE rowid BETWEEN ? AND ? ORDER BY rowid LIMIT 1",
                      (first, last)).fetchone()
    return Hit(doc, opening(text["body"] if text else ""), text["question"] if text else None)


def _essay_snippet(db, words, seq, table="essays"):
    found = db.execute(f"SELECT {SNIPPET.format(table=table)} FROM {table} WHERE {table} MATCH ? AND rowid = ?",
                       (words, seq)).fetchone()
    return found[0] if found else None


def _answer_snippet(db, words, first, last, within, table="answer_words"):
    """The best-matching text answer of one response (in one question if `within`), or None."""
    only = " AND question = ?" if within else ""
    return db.execute(f"SELECT question, {SNIPPET.format(table=table)} AS snip FROM {table} "
                      f"WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?{only} ORDER BY rank LIMIT 1",
                      [words, first, last, *([within] if within else [])]).fetchone()
