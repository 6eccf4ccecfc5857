"""Which journal rows a Query selects, as SQL: an FTS5 expression to match and row conditions."""
from dataclasses import dataclass
from datetime import timedelta

MATCHED = "essays JOIN responses r ON r.seq = essays.rowid"
# Rows whose text answer `question` holds the words: one FTS row per answer when a response has
# several text answers, or the essays row itself when that answer is its only one (marked true).
IN_QUESTION = ("SELECT rowid >> 6 FROM answer_words WHERE answer_words MATCH ? AND question = ? UNION ALL "
               "SELECT essays.rowid FROM essays JOIN responses x ON x.seq = essays.rowid "
               "WHERE essays MATCH ? AND json_type(x.answers, ?) = 'true'")


def fts_term(term):
    """A Term as an FTS5 string: always quoted, so user text is never FTS5 syntax."""
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


def fts_match(groups):
    """FTS5 expression requiring every OR-group."""
    return " AND ".join("(" + " OR ".join(map(fts_term, group)) + ")" for group in groups)


def any_term(query):
    """FTS5 expression matching any word or phrase the query asks for (to pick a snippet), or None."""
    groups, _ = query.terms()
    return " OR ".join(fts_term(term) for group in groups for term in group) or None


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
    if query.survey:
        conditions.append("r.survey = ?")
        params.append(query.survey)
    for name, value in query.answer_filters:  # json_each also reads a lone value as one row
        conditions.append("EXISTS (SELECT 1 FROM json_each(r.answers, ?) WHERE value = ?)")
        params += [f"$.{name}", value]
    return conditions, params


def _in_question(expression, question, negated=False):
    """(condition, params): the row's answer to `question` matches (or does not match) expression."""
    condition = f"r.seq {'NOT IN' if negated else 'IN'} ({IN_QUESTION})"
    return condition, [expression, question, expression, f"$.{question}"]


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
        if query.within:  # words in one question: a row condition, not the essays match
            for expression, negated in ((fts_match(groups), False), (" OR ".join(map(fts_term, excluded)), True)):
                if expression:
                    condition, values = _in_question(expression, query.within, negated)
                    conditions.append(condition)
                    params += values
            return cls(None, tuple(conditions), tuple(params))
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
