"""The query and result model every engine speaks; it imports nothing else from the project."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MAX_PAGE = 500  # 500 pages x 20 stays inside OpenSearch's default 10,000-hit window
# The request parameters that select answers (page only pages through them).
# plus f.<field id>, repeatable
FILTERS = ("q", "from", "to", "spam", "email", "survey", "in", "code", "lang")
VALUE_MAX = 200
OPERATORS = ("OR", "|", "AND", "NOT")  # as people type them between words
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# A prefix matches every word that begins with it: shorter ones would match most of the corpus.
PREFIX_MIN = 3
PREFIXES_MAX = 4
# Lucene's English stop words (EnglishAnalyzer, as on the domain): ignored as single words in both
# engines, so a query means the same everywhere.
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with".split())


def fold(name):
    """A name as compared: Unicode NFC, case-folded (Äpfel and äpfel, K and the Kelvin sign are one name)."""
    return unicodedata.normalize("NFC", str(name)).casefold()


class QueryError(ValueError):
    """A search parameter a person needs to correct."""


@dataclass(frozen=True)
class Term:
    """One word or phrase of an analyst query; prefix means a trailing *."""

    text: str
    phrase: bool = False
    prefix: bool = False

    @property
    def stop_word(self):
        """A word (or phrase of words) so common that the engines ignore it."""
        return not self.prefix and all(word in STOP_WORDS for word in self.text.lower().split())


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
    survey: str | None = None
    within: str | None = None  # in=: search the words in this one text question only
    answer_filters: tuple = ()  # ((field id, value), ...) from f.<id>=value: all must hold
    # ((code name, True to require it / False to exclude it, (the code and the codes under it)), ...)
    codes: tuple = ()  # from code=[-]name: a code means its whole family
    # ((code name, (family names)), ...) of every code with codes under it: counts roll up
    families: tuple = ()
    sort: str = "relevance"  # or "newest" / "oldest"; relevance is newest first without words
    languages: tuple = ()  # the languages the chosen surveys' answers may be in (BCP 47 tags)
    mode: str = "words"  # or "meaning" (nearest in meaning to q) / "hybrid" (both rankings fused)

    @property
    def selects_all(self):
        """True when nothing narrows the answers (a survey alone is the whole background)."""
        return not (self.q.strip() or self.date_from or self.date_to or self.spam or self.email or self.within
                    or self.answer_filters or self.codes)

    @property
    def offset(self):
        """Index of the first hit on this page."""
        return (self.page - 1) * self.per_page

    def terms(self):
        """Parse q into OR-groups that must all match, and terms that must not (stop words left out)."""
        groups = []
        excluded = []
        joining = False
        negating = False
        for negated, quoted, bare in _TOKEN.findall(self.q):
            if bare in ("OR", "|"):
                joining = bool(groups)
                continue
            if bare in ("AND", "NOT"):  # as people write them: AND is the default, NOT excludes what follows
                negating = bare == "NOT"
                continue
            term = _term(quoted, bare)
            if term is None or term.stop_word:
                continue
            if negated or bare.startswith("-") or negating:
                excluded.append(term)
            elif joining:
                groups[-1].append(term)
            else:
                groups.append([term])
            joining = negating = False
        return groups, excluded


def _term(quoted, bare):
    if quoted:
        text = quoted
        phrase = True
        prefix = False
    else:
        text = bare.lstrip("+-")
        phrase = False
        prefix = bare.endswith("*")
        text = text.rstrip("*")
    # Only letters and digits reach an engine: operators in user text stay inert, and words split where both
    # engines split them (node.js, team's, foo_bar: two words each).
    words = re.findall(r"[^\W_]+", text)
    if not words:
        return None
    # A prefix is one word's beginning; `foo-bar*` is the phrase "foo bar".
    return Term(" ".join(words), phrase=(phrase or prefix) and len(words) > 1, prefix=prefix and len(words) == 1)


def checked_words(q):
    """q, unless a prefix is too short, there are too many prefixes, or every word is a stop word."""
    tokens = _TOKEN.findall(q)
    terms = [term for term in (_term(quoted, bare) for _, quoted, bare in tokens if bare not in OPERATORS) if term]
    if tokens and not terms and all(bare in OPERATORS for _, _, bare in tokens):
        raise QueryError("AND, OR and NOT join or exclude words: add a word to search for.")
    # symbols only (ⓐⓑⓒ): the engines keep no word of it, and would match every answer
    if tokens and not terms:
        raise QueryError(f"'{q.strip()[:VALUE_MAX]}' has no letters or digits to search for: add a word.")
    prefixes = [term.text for term in terms if term.prefix]
    if short := [p for p in prefixes if len(p) < PREFIX_MIN]:
        raise QueryError(f"Type at least {PREFIX_MIN} letters before * ('{short[0][:VALUE_MAX]}*' would match "
                         "almost every answer).")
    if len(prefixes) > PREFIXES_MAX:
        raise QueryError(f"Use at most {PREFIXES_MAX} words ending in * in one search.")
    if terms and all(term.stop_word for term in terms):
        common = sorted({term.text.lower() for term in terms})
        raise QueryError(f"{', '.join(repr(w) for w in common)} {'is' if len(common) == 1 else 'are'} too common "
                         "to search for: add a more specific word.")
    return q
