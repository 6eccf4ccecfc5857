"""What the embedded engine tells analysts beyond a page of hits: ids, codes per day and per
group, distinctive terms and similar answers, all in SQL over the journal."""
from dataclasses import replace

from collector import journal
from collector.journal import fts
from collector.search import condition_filters, distinctive
from collector.search.query import Term
from collector.search.results import Crosstab
from collector.search.selection import for_journal, fts_term

# The matches lead (CROSS JOIN keeps that order); each looks up its active codings by journal position.
CODED = " CROSS JOIN codings c ON c.seq = {seq} AND c.removed_at IS NULL JOIN codes k ON k.id = c.code_id"
EVERY_CODING = " FROM codings c JOIN codes k ON k.id = c.code_id{rows}", " WHERE c.removed_at IS NULL AND c.seq IS NOT NULL"
SPAM_VALUE = "CASE r.is_spam WHEN 1 THEN 'true' ELSE 'false' END"
FAMILY_JOIN = " JOIN family f ON f.member = k.name"
TERMS_KEPT = 32  # distinctive-term answers kept per engine


def _selected(query, rows=True, facts=False):
    return for_journal(fts.indexed_db(), query).sql(rows=rows, facts=facts)


def _coded(query, rows=True):
    """(' FROM ...' joining every match to its active codings, ' WHERE ...', params); rows: r is joined too."""
    selection = for_journal(fts.indexed_db(), query)
    if selection.match is None and not selection.conditions:  # every answer: read the codings alone
        joined = " JOIN responses r INDEXED BY responses_facts ON r.seq = c.seq" if rows else ""
        return EVERY_CODING[0].format(rows=joined), EVERY_CODING[1], []
    source, clause, params = selection.sql(rows=rows, facts=True)
    seq = f"{selection.table}.rowid" if source == selection.table else "r.seq"
    return f" FROM {source}{CODED.format(seq=seq)}", clause, params


def _families(query):
    """(WITH clause naming each family's members, its params) for rolled-up counts: each answer once per family."""
    pairs = [(name, member) for name, members in query.families for member in members]
    return f"WITH family(name, member) AS (VALUES {', '.join(['(?, ?)'] * len(pairs))}) ", [v for p in pairs for v in p]


def rolled_up(own, families, parents):
    """Own counts with each family's rolled-up count in place of its head's, most first (then by name)."""
    counts = {key: n for key, n in own.items() if key[-1] not in parents} | families
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _group_join(group):
    """(extra JOIN, value expression, params) that give each row its value in the group."""
    if group == "spam":
        return "", SPAM_VALUE, []
    return " CROSS JOIN answer_values j ON j.seq = r.seq AND j.field = ?", "CAST(j.value AS TEXT)", [group]


class EmbeddedAnalysis:
    """Mixed into EmbeddedEngine."""

    def ids(self, query):
        """The id of every match."""
        source, clause, params = _selected(query)
        cursor = fts.indexed_db().execute(f"SELECT r.id FROM {source}{clause}", params)
        while rows := cursor.fetchmany(1000):
            yield from (row[0] for row in rows)

    def count_where(self, query, tree):
        """How many matches a show_if condition (a parsed tree) holds for."""
        source, clause, params = _selected(query)
        condition, extra = condition_filters.sql(tree)
        clause = f"{clause} AND {condition}" if clause else f" WHERE {condition}"
        return fts.indexed_db().execute(f"SELECT count(*) FROM {source}{clause}", [*params, *extra]).fetchone()[0]

    def code_counts(self, query):
        """{code name: matching answers with it}, most used first."""
        db, (source, clause, params) = fts.indexed_db(), _coded(query, rows=False)
        own = {(name,): n for name, n in db.execute(f"SELECT k.name, count(*){source}{clause} GROUP BY 1", params)}
        families = {}
        if query.families:
            with_family, family_params = _families(query)
            families = {(name,): n for name, n in db.execute(
                f"{with_family}SELECT f.name, count(DISTINCT c.seq){source}{FAMILY_JOIN}{clause} GROUP BY 1",
                [*family_params, *params])}
        return {name: n for (name,), n in rolled_up(own, families, dict(query.families)).items()}

    def code_pairs(self, query):
        """{(code, code): matching answers carrying both} (the diagonal: answers with the code)."""
        source, clause, params = _coded(query, rows=False)
        both = " JOIN codings c2 ON c2.seq = c.seq AND c2.removed_at IS NULL JOIN codes k2 ON k2.id = c2.code_id"
        rows = fts.indexed_db().execute(f"SELECT k.name, k2.name, count(*){source}{both}{clause} GROUP BY 1, 2", params)
        return {(a, b): n for a, b, n in rows}

    def code_days(self, query):
        """[(day, code name, matching answers with it that day)]."""
        source, clause, params = _coded(query)
        rows = fts.indexed_db().execute(f"SELECT substr(r.submitted_at, 1, 10), k.name, count(*){source}{clause} "
                                        "GROUP BY 1, 2 ORDER BY 1, 2", params)
        return [tuple(row) for row in rows]

    def crosstab(self, query, group):
        """Matching answers per value of `group` (a field id or 'spam'), and per code within each."""
        db, (source, clause, params) = fts.indexed_db(), _selected(query, facts=True)
        join, value, extra = _group_join(group)
        totals = db.execute(f"SELECT {value}, count(*) FROM {source}{join}{clause} GROUP BY 1", [*extra, *params])
        coded, where, coded_params = _coded(query)
        cells = {(v, name): n for v, name, n in db.execute(f"SELECT {value}, k.name, count(*){coded}{join}{where} "
                                                          "GROUP BY 1, 2", [*extra, *coded_params])}
        families = {}
        if query.families:
            with_family, family_params = _families(query)
            families = {(v, name): n for v, name, n in db.execute(
                f"{with_family}SELECT {value}, f.name, count(DISTINCT c.seq){coded}{join}{FAMILY_JOIN}{where} GROUP BY 1, 2",
                [*family_params, *extra, *coded_params])}
        cells = rolled_up(cells, families, dict(query.families))
        return Crosstab.of(group, totals.fetchall(), [(v, name, n) for (v, name), n in cells.items()])

    def distinctive_terms(self, query, n=20):
        """Words and phrases over-represented in (a sample of) the matches: [Distinctive]."""
        if query.selects_all:
            return []
        # Paging through results asks again: the answer stands until an answer arrives or goes.
        # (With code filters, codings change the matches too: not kept.)
        state = fts.indexed_db().execute("SELECT max(seq), count(*) FROM responses").fetchone()
        key = (replace(query, page=1, sort="relevance"), n, *state)
        kept = self.__dict__.setdefault("_terms", {})
        if query.codes or key not in kept:
            if len(kept) >= TERMS_KEPT:
                kept.clear()
            kept[key] = self._distinctive_terms(query, n)
        return kept[key]

    def _distinctive_terms(self, query, n):
        db = fts.indexed_db()
        selection = for_journal(db, query)
        source, clause, params = selection.sql()
        newest = f"{selection.table}.rowid" if selection.match else "r.seq"  # FTS5 reads its rowids backwards
        texts = (row[0] for row in db.execute(f"SELECT r.essay FROM {source}{clause} ORDER BY {newest} DESC LIMIT ?",
                                              [*params, distinctive.SAMPLE]))
        size, counts = distinctive.sample_counts(texts)
        words, pairs = distinctive.candidates(counts)
        survey = query.survey if query.survey and _other_surveys(db, query.survey) else None
        everyone = db.execute(f"SELECT count(*) FROM responses{' WHERE survey = ?' if survey else ''}",
                              [survey] if survey else []).fetchone()[0]
        background = {t: _answers_with(db, t, survey) for t in pairs + (words if survey else [])}
        background.update({} if survey else _vocabulary(db, words))
        return distinctive.scored(size, counts, words + pairs, background, everyone, n)

    def similar(self, doc_id, n=10):
        """The answers most like this one: its distinctive words as an OR query, by bm25."""
        db = fts.indexed_db()
        row = db.execute("SELECT seq, essay FROM responses WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return []
        words = [t for t in distinctive.terms_of(row["essay"]) if " " not in t]
        everyone = db.execute("SELECT count(*) FROM responses").fetchone()[0] or 1
        weight = _vocabulary(db, words)  # how many answers hold each word, in one look-up
        # Rarest first; a word only this answer has cannot lead to another.
        chosen = sorted((w for w in words if weight.get(w, 0) > 1), key=lambda w: (weight[w], w))[:distinctive.SIMILAR_TERMS]
        if not chosen or weight[chosen[0]] >= everyone:
            return []
        match = " OR ".join(fts_term(Term(w)) for w in chosen)
        rows = db.execute("SELECT r.* FROM essays JOIN responses r ON r.seq = essays.rowid WHERE essays MATCH ? "
                          "AND r.seq != ? ORDER BY bm25(essays), r.seq DESC LIMIT ?", (match, row["seq"], n))
        return [journal.to_document(r) for r in rows]


def _other_surveys(db, survey):
    """Whether the journal holds answers to other surveys (else the survey's background is all)."""
    return db.execute("SELECT 1 FROM responses WHERE survey != ? LIMIT 1", (survey,)).fetchone() is not None


def _vocabulary(db, words):
    """{word: answers holding it as typed}, from FTS5's vocabulary in one look-up."""
    if not words:
        return {}
    marks = ", ".join("?" * len(words))
    return dict(db.execute(f"SELECT term, doc FROM plain_vocab WHERE term IN ({marks})", words).fetchall())


def _answers_with(db, term, survey=None):
    """How many answers (of the survey) contain a word or adjacent words, as typed."""
    match = fts_term(Term(term, phrase=" " in term))
    if survey:
        # CROSS JOIN keeps the match as the outer loop: led by the survey index instead, SQLite
        # ran the match once per answer of the survey (minutes at 10k answers).
        return db.execute("SELECT count(*) FROM plain_words CROSS JOIN responses r ON r.seq = plain_words.rowid "
                          "WHERE plain_words MATCH ? AND r.survey = ?", (match, survey)).fetchone()[0]
    return db.execute("SELECT count(*) FROM plain_words WHERE plain_words MATCH ?", (match,)).fetchone()[0]
