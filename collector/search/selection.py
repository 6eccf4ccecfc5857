"""Which journal rows a Query selects, as SQL: an FTS5 expression to match and row conditions."""
from dataclasses import dataclass, replace
from datetime import timedelta

MATCHED = "essays JOIN responses r ON r.seq = essays.rowid"
# (whole-text table, per-answer table): stemmed for words and phrases, as typed for prefixes.
# A per-answer table has one row per text answer, only for responses with two or more of them;
# rowid = seq * 64 + position. A lone text answer is the whole-text row (marked true in answers).
STEMMED = ("essays", "answer_words")
PLAIN = ("plain_words", "answer_plain")


def fts_term(term):
    """A Term as an FTS5 string: always quoted, so user text is never FTS5 syntax."""
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def fts_match(groups):
    """FTS5 expression requiring every OR-group."""
    return " AND ".join("(" + " OR ".join(map(fts_term, group)) + ")" for group in groups)


def any_term(query):
    """((whole-text table, per-answer table), FTS5 expression matching any term the query asks for)
    to pick a snippet, or (tables, None). Prefixes are looked up as typed, where they are indexed."""
    groups, _ = query.terms()
    terms = [term for group in groups for term in group]
    whole = [term for term in terms if not term.prefix]
    tables, chosen = (STEMMED, whole) if whole or not terms else (PLAIN, terms)
    return tables, " OR ".join(map(fts_term, chosen)) or None


CODED_SEQS = "SELECT seq FROM codings WHERE code_id IN (SELECT id FROM codes WHERE name IN ({names})) AND removed_at IS NULL"
DOMAIN = "substr(email, instr(email, '@'))"  # '@example.org', as indexed by responses_email_domain
VALUE_SEQS = "SELECT seq FROM answer_values WHERE field = ? AND value = ?"
SEQ_BOUNDS = "(SELECT coalesce({f}(seq), 0) FROM responses WHERE submitted_at >= ? AND submitted_at < ?)"


def _conditions(query, led_by=None):
    """(SQL conditions, params, whether any reads the rows table, whether responses_facts covers them all)
    for the query's filters (not its words).

    led_by: the FTS5 table that drives the query, if any. Then filters are written so FTS5 stays in
    the lead and rows are not read one match at a time: a date range also bounds the rowids FTS5
    walks, and spam and codes are sets of seqs ('+' keeps FTS5 from probing once per member).
    """
    seqs, rows = [], []  # (condition, params, covered by responses_facts): on the FTS5 rowid, or on the row
    if query.date_from or query.date_to:
        span = [query.date_from.isoformat() if query.date_from else "",
                (query.date_to + timedelta(days=1)).isoformat() if query.date_to else "9"]
        rows.append(("r.submitted_at >= ? AND r.submitted_at < ?", span, False))
        if led_by:  # journal order follows submission order, so the range is a span of rowids
            bounds = f"{SEQ_BOUNDS.format(f='min')} AND {SEQ_BOUNDS.format(f='max')}"
            seqs.append((f"{led_by}.rowid BETWEEN {bounds}", span + span, True))
    if query.spam:
        spam = "(SELECT seq FROM responses WHERE is_spam = 1)"
        (seqs if led_by else rows).append(
            (f"+{led_by}.rowid {'IN' if query.spam == 'only' else 'NOT IN'} {spam}", [], True) if led_by
            else ("r.is_spam = ?", [1 if query.spam == "only" else 0], True))
    if query.email:  # an address, or a domain (every address at it: responses_email_domain)
        test = f"{DOMAIN} = ? COLLATE NOCASE" if query.email.startswith("@") else "email = ?"
        (seqs if led_by else rows).append(
            (f"+{led_by}.rowid IN (SELECT seq FROM responses WHERE {test})" if led_by
             else test.replace("email", "r.email"), [query.email], bool(led_by)))
    if query.survey:
        rows.append(("+r.survey = ?" if led_by else "r.survey = ?", [query.survey], False))
    for _, include, family in query.codes:  # the family's answers, index ranges read once, not probed per row
        seq = f"+{led_by}.rowid" if led_by else "r.seq"
        coded = CODED_SEQS.format(names=", ".join("?" * len(family)))
        (seqs if led_by else rows).append((f"{seq} {'' if include else 'NOT '}IN ({coded})", list(family), True))
    for name, value in query.answer_filters:  # one option of a multiple choice is a row of its own
        seq = f"+{led_by}.rowid" if led_by else "r.seq"
        (seqs if led_by else rows).append((f"{seq} IN ({VALUE_SEQS})", [name, value], True))
    chosen = seqs + rows
    return ([sql for sql, _, _ in chosen], [p for _, values, _ in chosen for p in values], bool(rows),
            all(covered for _, _, covered in chosen))


def _rows_matching(expression, tables, within):
    """(SQL selecting the seq of rows whose text, or answer to `within`, matches expression; params)."""
    whole, per_answer = tables
    if within is None:
        return f"SELECT rowid FROM {whole} WHERE {whole} MATCH ?", [expression]
    return (f"SELECT rowid >> 6 FROM {per_answer} WHERE {per_answer} MATCH ? AND question = ? UNION ALL "
            f"SELECT {whole}.rowid FROM {whole} JOIN responses x ON x.seq = {whole}.rowid "
            f"WHERE {whole} MATCH ? AND json_type(x.answers, ?) = 'true'"), [expression, within, expression, f"$.{within}"]


def _matching_any(terms, within, negated=False, led_by=None):
    """(condition, params): the row matches any of the terms (none of them, when negated)."""
    parts = []
    params = []
    for tables, chosen in ((STEMMED, [t for t in terms if not t.prefix]), (PLAIN, [t for t in terms if t.prefix])):
        if chosen:
            sql, values = _rows_matching(" OR ".join(map(fts_term, chosen)), tables, within)
            parts.append(sql)
            params += values
    seq = f"+{led_by}.rowid" if led_by else "r.seq"  # with FTS5 leading: a set its rowids are checked against
    return f"{seq} {'NOT IN' if negated else 'IN'} ({' UNION ALL '.join(parts)})", params


OTHER_SURVEYS = "SELECT 1 FROM responses WHERE survey < ? OR survey > ? LIMIT 1"  # two index probes


def for_journal(db, query):
    """Selection.of the query, without a survey filter that every answer in this journal passes
    (then it would only make each match read its row)."""
    if query.survey and not db.execute(OTHER_SURVEYS, (query.survey, query.survey)).fetchone():
        query = replace(query, survey=None)
    return Selection.of(query)


@dataclass(frozen=True)
class Selection:
    """The answers a query selects: an FTS5 expression to match in `table` (or None) and SQL filters.

    table is "essays" (stemmed; bm25 ranks the matches) or, for a query of prefixes only,
    "plain_words" (as typed; newest first, straight from the FTS5 index).
    """

    match: str | None
    conditions: tuple = ()
    params: tuple = ()
    table: str = "essays"
    reads_rows: bool = False
    covered: bool = False  # with no match: every condition reads only what responses_facts holds

    @classmethod
    def of(cls, query):
        """The Selection for a Query's words, exclusions and filters."""
        groups, excluded = query.terms()
        # Groups of whole words over the whole text go in the FTS5 match that ranks (or, when every
        # group is prefixes, in a match on the unstemmed table); the rest are row conditions.
        table = "essays"
        leading = [] if query.within else [g for g in groups if not any(t.prefix for t in g)]
        if not query.within and not leading and groups and all(all(t.prefix for t in g) for g in groups):
            table = "plain_words"
            leading = groups
        conditions, params, reads_rows, covered = _conditions(query, table if leading else None)
        others = [(group, False) for group in groups if group not in leading] + ([(excluded, True)] if excluded else [])
        for terms, negated in others:
            condition, values = _matching_any(terms, query.within, negated, table if leading else None)
            conditions.append(condition)  # r.seq (NOT) IN a set of matches: covered too
            params += values
        return cls(fts_match(leading) if leading else None, tuple(conditions), tuple(params), table, reads_rows,
                   covered and bool(conditions))

    @property
    def ranked(self):
        """True when matches can be ordered by relevance (bm25 over stems)."""
        return self.match is not None and self.table == "essays"

    @property
    def words_only(self):
        """True when FTS5 alone can answer: words to match and no filter that reads the rows."""
        return self.match is not None and not self.reads_rows

    def sql(self, rows=True, facts=False):
        """(FROM source, WHERE clause, params); rows=False may skip joining the rows table.

        facts=True: the caller reads only r.seq, r.submitted_at and r.is_spam of each match, which
        responses_facts covers: a small index stays in cache where the wide rows do not."""
        where = ([f"{self.table} MATCH ?"] if self.match else []) + list(self.conditions)
        params = ([self.match] if self.match else []) + list(self.params)
        clause = " WHERE " + " AND ".join(where) if where else ""
        rows_table = "responses r INDEXED BY responses_facts" if facts else "responses r"
        if self.match is None:  # filters alone: sets of seqs (codes, choices) are looked up in the facts too
            return (rows_table if facts and self.covered else "responses r"), clause, params
        joined = f"{self.table} JOIN {rows_table} ON r.seq = {self.table}.rowid"
        return (self.table if self.words_only and not rows else joined), clause, params
