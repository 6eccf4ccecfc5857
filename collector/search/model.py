"""The query and result model every engine speaks; it imports nothing else from the project."""
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

MAX_PAGE = 500  # 500 pages x 20 stays inside OpenSearch's default 10,000-hit window
# The request parameters that select answers (page only pages through them).
FILTERS = ("q", "from", "to", "spam", "email")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class QueryError(ValueError):
    """A search parameter a person needs to correct."""


class SearchUnavailable(RuntimeError):
    """The search engine could not answer right now."""


@dataclass(frozen=True)
class Term:
    """One word or phrase of an analyst query; prefix means a trailing *."""

    text: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """What an analyst asked for: free text, filters and a page."""

    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    spam: str | None = None
    email: str | None = None
    page: int = 1
    per_page: int = 20

    @property
    def offset(self):
        """Index of the first hit on this page."""
        return (self.page - 1) * self.per_page

    def terms(self):
        """Parse q into OR-groups that must all match, and terms that must not."""
        groups, excluded, joining = [], [], False
        for negated, quoted, bare in _TOKEN.findall(self.q):
            if bare in ("OR", "|"):
                joining = bool(groups)
                continue
            term = _term(quoted, bare)
            if term is None:
                continue
            if negated or bare.startswith("-"):
                excluded.append(term)
            elif joining:
                groups[-1].append(term)
            else:
                groups.append([term])
            joining = False
        return groups, excluded


def _term(quoted, bare):
    if quoted:
        text, phrase, prefix = quoted, True, False
    else:
        text, phrase, prefix = bare.lstrip("+-"), False, bare.endswith("*")
        text = text.rstrip("*")
    # Only word characters reach an engine: operators in user text stay inert.
    words = re.findall(r"\w+", text)
    if not words:
        return None
    return Term(" ".join(words), phrase=phrase and len(words) > 1, prefix=prefix)


def parse_args(args, per_page=20):
    """Build a Query from request arguments, or raise QueryError with a readable message."""
    spam = args.get("spam") or None
    if spam not in (None, "only", "exclude"):
        raise QueryError("spam must be 'only', 'exclude', or left out.")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise QueryError("The 'from' date is after the 'to' date.")
    return Query(
        q=(args.get("q") or "").strip()[:1000],
        date_from=date_from,
        date_to=date_to,
        spam=spam,
        email=(args.get("email") or "").strip().lower() or None,
        page=_page(args.get("page")),
        per_page=per_page,
    )


def _date(args, name):
    value = (args.get(name) or "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise QueryError(f"'{name}' must be a date like 2026-01-31.") from None


def _page(value):
    try:
        page = int(value or 1)
    except ValueError:
        raise QueryError("page must be a whole number.") from None
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}.")
    return page


@dataclass
class Hit:
    """One matching answer with its highlighted, HTML-safe snippet."""

    doc: object
    highlight: object


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

    @property
    def spam_share(self):
        """Fraction of all answers flagged as spam."""
        return self.spam / self.total if self.total else 0.0


def used_filters(args):
    """The names of the FILTERS a request sets, in FILTERS order."""
    return [name for name in FILTERS if args.get(name)]


class SearchEngine(Protocol):
    """What views need from a search engine; both engines implement it."""

    def search(self, query: Query) -> Page:
        """One page of matches."""

    def scan(self, query: Query, batch: int = 500) -> Iterator:
        """Every match, newest first, in bounded memory."""

    def overview(self, query: Query) -> Overview:
        """Totals and answers per day."""

    def get(self, doc_id: str):
        """One answer by id, or None."""

    def delete(self, doc_ids: list) -> int:
        """Erase answers; returns how many existed."""

    def status(self) -> str:
        """'embedded', 'ok' or 'unreachable'."""
