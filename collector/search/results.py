"""What engines answer: pages of hits, dashboard overviews, and the protocol both engines follow."""
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from collector.search.query import MAX_PAGE, Query


@dataclass
class Hit:
    """One matching answer with its highlighted, HTML-safe snippet."""

    doc: object
    highlight: object
    question: str | None = None  # the question whose answer the highlight is from
    similarity: float | None = None  # found by meaning: (1 + cosine) / 2, from 0 to 1


@dataclass
class Page:
    """One page of results plus the total number of matches."""

    query: Query
    total: int
    hits: list = field(default_factory=list)

    @property
    def pages(self):
        """How many pages the matches fill (at most MAX_PAGE)."""
        return min(MAX_PAGE, math.ceil(self.total / self.query.per_page))


@dataclass
class Overview:
    """Totals over all answers, and answers per day for the current filters."""

    total: int
    today: int
    last_7_days: int
    spam: int
    per_day: list = field(default_factory=list)
    # {field id: {value: answers}} for the facets asked for (choice, choices, rating fields).
    distributions: dict = field(default_factory=dict)

    @property
    def spam_share(self):
        """Fraction of all answers flagged as spam."""
        return self.spam / self.total if self.total else 0.0


@dataclass
class Crosstab:
    """Matching answers per value of a group (a question, a hidden field, or spam), and per code."""

    group: str
    rows: list  # [(value, answers, {code name: answers with it})], largest group first
    codes: list  # every code that occurs, most used first

    @classmethod
    def of(cls, group, totals, cells):
        """Build from [(value, answers)] and [(value, code name, answers)]; values become strings."""
        by_value = {}
        used = {}
        for value, name, count in cells:
            by_value.setdefault(str(value), {})[name] = count
            used[name] = used.get(name, 0) + count
        rows = sorted(((str(v), n, by_value.get(str(v), {})) for v, n in totals), key=lambda r: (-r[1], r[0]))
        return cls(group, rows, sorted(used, key=lambda name: (-used[name], name)))


class SearchEngine(Protocol):
    """What views need from a search engine; both engines implement it."""

    def search(self, query: Query) -> Page:
        """One page of matches."""

    def scan(self, query: Query, batch: int = 500) -> Iterator:
        """Every match, newest first, in bounded memory."""

    def overview(self, query: Query, facets: tuple = ()) -> Overview:
        """Totals, answers per day, and how the matches answered each facet field."""

    def get(self, doc_id: str):
        """One answer by id, or None."""

    def mark_spam(self, doc_ids: list, is_spam: bool) -> int:
        """An analyst's spam verdict on answers, replacing the filter's; returns how many were found."""

    def settle(self) -> bool:
        """Make everything written so far searchable; False if the engine cannot (then wait its refresh)."""

    def status(self) -> str:
        """'embedded', 'ok' or 'unreachable'."""

    def ids(self, query: Query) -> Iterator:
        """The id of every match."""

    def code_counts(self, query: Query) -> dict:
        """{code name: matching answers with it}."""

    def code_pairs(self, query: Query) -> dict:
        """{(code name, code name): matching answers carrying both}; (a, a) is the answers with a."""

    def code_days(self, query: Query) -> list:
        """[(day as YYYY-MM-DD, code name, matching answers with it that day)]."""

    def crosstab(self, query: Query, group: str) -> Crosstab:
        """Matches per value of a field (or 'spam'), and per code within each value."""

    def distinctive_terms(self, query: Query, n: int = 20) -> list:
        """[Distinctive] words and phrases of the matches against all answers (of the survey)."""

    def similar(self, doc_id: str, n: int = 10) -> list:
        """The answers most like this one (not itself), most alike first."""

    def nearest(self, vector, n: int = 10, exclude: tuple = (), query: Query | None = None) -> list:
        """[(doc, similarity)] of the n answers closest in meaning to vector (a unit vector), closest first,
        among those query's filters and words select (all without one); similarity is (1 + cosine) / 2,
        from 0 to 1. Answers without a vector yet are not among them."""

    def vectors(self, query: Query, limit: int) -> tuple:
        """(ids, (n, 384) matrix) of the newest `limit` answers the query selects that have a vector."""
