"""Request parameters into a Query, with a message a person can act on for each mistake."""
import re
from datetime import date

from flask import current_app

from collector.common.forms import normal_email
from collector.common.slots import Slot
from collector.search.query import FILTERS, MAX_PAGE, VALUE_MAX, Query, QueryError, checked_words, fold

QUERY_VOCABULARY = Slot("query_vocabulary")

SORTS = ("relevance", "newest", "oldest")
MODES = ("words", "meaning", "hybrid")
PARAMS_MAX = 100
VALUES_MAX = 50
RATING = re.compile(r"-?[0-9]{1,10}")  # isdigit() also passes '²' and other digits int() refuses


def vocabulary(app, **lookups):
    """Let a package name what `in`, `f.<id>`, `survey` and `code` may refer to: fields, surveys or
    codes, each a function called per query (the definitions and the codebook change)."""
    QUERY_VOCABULARY.update(app, lookups)


def query_of(args, per_page=None):
    """The Query of request arguments (any mapping with get/getlist), checked against the app's
    vocabulary; QueryError with a readable message otherwise. The one way in for every caller."""
    known = {name: look() for name, look in QUERY_VOCABULARY.find(default={}).items()}
    return parse_args(args, per_page or current_app.config["PAGE_SIZE"], **known)


def parse_args(args, per_page=20, fields=None, surveys=None, codes=None, languages=None):
    """Build a Query from request arguments, or raise QueryError with a readable message.

    fields: {field id: 'text' | 'keyword' | 'integer'} that `in` and `f.<id>` may name;
    surveys: the slugs `survey` may name (None: any); codes: {folded name: (name, family names)}
    of the codebook, which `code` may name (None: any); languages: {survey slug: its languages}.
    """
    _bounded(args)
    spam = args.get("spam") or None
    if spam not in (None, "only", "exclude"):
        raise QueryError("spam must be 'only', 'exclude', or left out.")
    date_from = _date(args, "from")
    date_to = _date(args, "to")
    if date_to == date.max:  # "until the end of time": the engines' day after it does not exist
        date_to = None
    if date_from and date_to and date_from > date_to:
        raise QueryError("The 'from' date is after the 'to' date.")
    return Query(
        q=checked_words((args.get("q") or "").strip()[:1000]),
        date_from=date_from,
        date_to=date_to,
        spam=spam,
        email=_email(args.get("email")),
        page=_page(args.get("page")),
        per_page=per_page,
        survey=_survey(args, surveys),
        within=_within(args, fields or {}),
        answer_filters=_answer_filters(args, fields or {}),
        codes=_codes(args, codes),
        families=tuple(sorted(family for family in (codes or {}).values() if len(family[1]) > 1)),
        languages=_languages(languages or {}, _survey(args, surveys)),
        sort=_sort(args.get("sort")),
        mode=_mode(args.get("mode"), args.get("q")),
    )


def _codes(args, known):
    """code=name (answers with it or a code under it) and code=-name (with none of them), names as the
    codebook spells them."""
    values = args.getlist("code") if hasattr(args, "getlist") else [args.get("code")]
    found = {}
    for value in (str(v).strip() for v in values if v and str(v).strip()):
        include = not value.startswith("-")
        name = " ".join(value.removeprefix("-").split())
        if known is not None and fold(name) not in known:
            raise QueryError(f"There is no code called '{name[:VALUE_MAX]}'.")
        name, family = known[fold(name)] if known is not None else (name, (name,))
        found[name] = (include, family)
    return tuple(sorted((name, include, family) for name, (include, family) in found.items()))


def _sort(value):
    if (value or "relevance") not in SORTS:
        raise QueryError("sort must be 'relevance', 'newest' or 'oldest'.")
    return value or "relevance"


def _mode(value, words):
    if (value or "words") not in MODES:
        raise QueryError("mode must be 'words', 'meaning' or 'hybrid'.")
    if value in ("meaning", "hybrid") and not (words or "").strip():
        raise QueryError("Searching by meaning needs words whose meaning to look for.")
    return value or "words"


def _survey(args, surveys):
    slug = (args.get("survey") or "").strip() or None
    if slug and surveys is not None and slug not in surveys:
        raise QueryError(f"There is no survey called '{slug[:VALUE_MAX]}'.")
    return slug


def _languages(by_survey, slug):
    """The languages the chosen survey's answers (or every survey's) may be in, sorted."""
    return tuple(sorted({tag for name, tags in by_survey.items() if slug in (None, name) for tag in tags}))


def _within(args, fields):
    name = (args.get("in") or "").strip() or None
    if name and fields.get(name) != "text":
        texts = ", ".join(sorted(n for n, kind in fields.items() if kind == "text"))
        raise QueryError(f"'in' must name a text question ({texts}), not '{name[:VALUE_MAX]}'.")
    return name


def _answer_filters(args, fields):
    """f.<id>=value pairs, checked against the field's kind (a rating filters by its number); lang=<tag> is
    f.language=<tag>, the language a multilingual survey was answered in."""
    pairs = args.items(multi=True) if hasattr(args, "getlist") else args.items()
    found = set()
    for key, value in pairs:
        key = "f.language" if key == "lang" else key
        if not key.startswith("f.") or not str(value).strip():
            continue
        name, value = key[2:], str(value).strip()[:VALUE_MAX]
        kind = fields.get(name)
        if kind not in ("keyword", "integer"):
            raise QueryError(f"There is no choice, rating or hidden field called '{name[:VALUE_MAX]}' to filter by.")
        found.add((name, _rating(name, value) if kind == "integer" else value))
    return tuple(sorted(found, key=str))


def _bounded(args):
    """Refuse a search too large to run safely (a saved one runs again at every answer's arrival)."""
    pairs = list(args.items(multi=True) if hasattr(args, "getlist") else args.items())
    if len(pairs) > PARAMS_MAX:
        raise QueryError(f"A search takes at most {PARAMS_MAX} parameters, not {len(pairs)}.")
    counts = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    if crowded := [key for key, n in counts.items() if n > VALUES_MAX]:
        raise QueryError(f"'{crowded[0][:VALUE_MAX]}' takes at most {VALUES_MAX} values.")


def _rating(name, value):
    """A rating filter's number: ASCII digits, optionally signed once, within what an index stores (int32)."""
    if not RATING.fullmatch(value) or not -2**31 <= int(value) < 2**31:
        raise QueryError(f"'{name}' is a rating: filter it by a whole number, not '{value}'.")
    return int(value)


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


def used_filters(args):
    """The names of the FILTERS a request sets, in FILTERS order, then its f.<id> filters."""
    return [name for name in FILTERS if args.get(name)] + sorted(k for k in args if k.startswith("f."))


def scope_of(args):
    """Which filters a request used, by name only (what the audit log keeps of a search)."""
    return ",".join(sorted(used_filters(args))) or "all"


def _email(value):
    """A whole address, or a domain as '@example.org' (typed with or without the '@')."""
    value = normal_email(value or "")
    if not value:
        return None
    if "@" not in value:
        value = "@" + value
    if value.count("@") > 1 or value.endswith("@") or any(c.isspace() for c in value):
        raise QueryError(f"'{value[:VALUE_MAX]}' is neither an email address nor a domain like @example.org.")
    return value
