"""Which journal rows a Query selects, as SQL: an FTS5 expression to match and row conditions."""
import re
from dataclasses import dataclass
from datetime import timedelta

MATCHED = "essays JOIN responses r ON r.seq = essays.rowid"
# (whole-text table, per-answer table): stemmed for words and phrases, as typed for prefixes.
# A per-answer table has one row per text answer, only for responses with two or more of them;
# rowid = seq * 64 + position. A lone text answer is the whole-text row (marked true in answers).
STEMMED, PLAIN = ("essays", "answer_words"), ("plain_words", "answer_plain")


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
        # With words to match, FTS5 must lead: '+' keeps the planner off the spam index, which
        # would otherwise drive the join and probe FTS5 once per row (seconds on 100k answers).
        conditions.append("+r.is_spam = ?" if query.terms()[0] else "r.is_spam = ?")
        params.append(1 if query.spam == "only" else 0)
    if query.email and query.email.startswith("@"):  # a domain: every address at it
        conditions.append("r.email LIKE ? ESCAPE '\\'")
        params.append("%" + re.sub(r"([%_\\])", r"\\\1", query.email))
    elif query.email:
        conditions.append("r.email = ?")
        params.append(query.email)
    if query.survey:
        conditions.append("r.survey = ?")
        params.append(query.survey)
    for name, include in query.codes:  # the code's answers, read once from its index, not probed per row
        conditions.append(f"r.id {'' if include else 'NOT '}IN (SELECT c.response_id FROM codings c JOIN codes k "
                          "ON k.id = c.code_id WHERE k.name = ? AND c.removed_at IS NULL)")
        params.append(name)
    for name, value in query.answer_filters:  # json_each also reads a lone value as one row
        conditions.append("EXISTS (SELECT 1 FROM json_each(r.answers, ?) WHERE value = ?)")
        params += [f"$.{name}", value]
    return conditions, params


def _rows_matching(expression, tables, within):
    """(SQL selecting the seq of rows whose text, or answer to `within`, matches expression; params)."""
    whole, per_answer = tables
    if within is None:
        return f"SELECT rowid FROM {whole} WHERE {whole} MATCH ?", [expression]
    return (f"SELECT rowid >> 6 FROM {per_answer} WHERE {per_answer} MATCH ? AND question = ? UNION ALL "
            f"SELECT {whole}.rowid FROM {whole} JOIN responses x ON x.seq = {whole}.rowid "
            f"WHERE {whole} MATCH ? AND json_type(x.answers, ?) = 'true'"), [expression, within, expression, f"$.{within}"]


def _matching_any(terms, within, negated=False):
    """(condition, params): the row matches any of the terms (none of them, when negated)."""
    parts, params = [], []
    for tables, chosen in ((STEMMED, [t for t in terms if not t.prefix]), (PLAIN, [t for t in terms if t.prefix])):
        if chosen:
            sql, values = _rows_matching(" OR ".join(map(fts_term, chosen)), tables, within)
            parts.append(sql)
            params += values
    return f"r.seq {'NOT IN' if negated else 'IN'} ({' UNION ALL '.join(parts)})", params


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

    @classmethod
    def of(cls, query):
        """The Selection for a Query's words, exclusions and filters."""
        groups, excluded = query.terms()
        conditions, params = _conditions(query)
        # Groups of whole words over the whole text go in the FTS5 match that ranks (or, when every
        # group is prefixes, in a match on the unstemmed table); the rest are row conditions.
        table, leading = "essays", [] if query.within else [g for g in groups if not any(t.prefix for t in g)]
        if not query.within and not leading and groups and all(all(t.prefix for t in g) for g in groups):
            table, leading = "plain_words", groups
        others = [(group, False) for group in groups if group not in leading] + ([(excluded, True)] if excluded else [])
        for terms, negated in others:
            condition, values = _matching_any(terms, query.within, negated)
            conditions.append(condition)
            params += values
        return cls(fts_match(leading) if leading else None, tuple(conditions), tuple(params), table)

    @property
    def ranked(self):
        """True when matches can be ordered by relevance (bm25 over stems)."""
        return self.match is not None and self.table == "essays"

    @property
    def words_only(self):
        """True when FTS5 alone can answer: words to match and no filter on the rows."""
        return self.match is not None and not self.conditions

    def sql(self, rows=True):
        """(FROM source, WHERE clause, params); rows=False may skip joining the rows table."""
        where = ([f"{self.table} MATCH ?"] if self.match else []) + list(self.conditions)
        params = ([self.match] if self.match else []) + list(self.params)
        clause = " WHERE " + " AND ".join(where) if where else ""
        if self.match is None:
            return "responses r", clause, params
        joined = f"{self.table} JOIN responses r ON r.seq = {self.table}.rowid"
        return (self.table if self.words_only and not rows else joined), clause, params
