"""In-memory indices that answer like OpenSearch for the calls the app makes."""
import html
import ipaddress
import json
import re
import time
import unicodedata
from datetime import date, datetime

import snowballstemmer

_SQS_PART = re.compile(r'(-?)\(([^)]*)\)|(-)("[^"]*"|\S+)')


class ApiError(Exception):
    """An OpenSearch error response."""

    def __init__(self, status, kind, reason):
        super().__init__(reason)
        self.status, self.kind, self.reason = status, kind, reason

    def body(self):
        """The error in OpenSearch's JSON shape."""
        cause = {"type": self.kind, "reason": self.reason}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


# models.ENGLISH: standard tokenizer, English possessive, lowercase, ASCII folding, Lucene's English
# stop words, Porter. models.PLAIN: standard tokenizer, lowercase, ASCII folding.
# Unicode word segmentation (UAX #29) as far as our texts go: letters join across . : ' (e.g,
# a:b, o'neil), digits across . and , (3.5, 1,000); each CJK ideograph is a token of its own.
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|(?:(?![\u3400-\u4dbf\u4e00-\u9fff])\w)+"
                   r"(?:(?:(?<=[^\W\d_])[.:'’](?=[^\W\d_])|(?<=\d)[.,](?=\d))(?:(?![\u3400-\u4dbf\u4e00-\u9fff])\w)+)*")
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with".split())
_PORTER = snowballstemmer.stemmer("porter")


def fold(word):
    """Lowercase and strip accents (what ASCII folding does to Latin letters)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def analyze(text, plain=False):
    """One token per word of text, in order; None where a stop word left a gap (english only)."""
    if plain:
        return [fold(m.group()) for m in _WORD.finditer(text)]
    tokens = []
    for m in _WORD.finditer(text):
        word = fold(re.sub(r"['’][sS]$", "", m.group()))
        tokens.append(None if word in STOP_WORDS else _PORTER.stemWord(word))
    return tokens


def _check_value(kind, value, name):
    checks = {
        "ip": lambda v: ipaddress.ip_address(v),
        "date": lambda v: datetime.fromisoformat(v),
        "boolean": lambda v: v if isinstance(v, bool) else int("x"),
        "float": lambda v: float(v),
        "integer": lambda v: int(v),
    }
    try:
        checks.get(kind, lambda v: v)(value)
    except (ValueError, TypeError):
        raise ApiError(400, "mapper_parsing_exception",
                       f"failed to parse field [{name}] of type [{kind}]") from None


class Index:
    """One concrete index: mapping and documents."""

    def __init__(self, name, body):
        self.name, self.mappings = name, (body or {}).get("mappings", {})
        self.settings = (body or {}).get("settings", {})
        self.docs, self.versions = {}, {}
        self.indexed_at, self.refreshed_at = {}, 0.0  # search sees a document after a refresh

    def searchable(self, doc_id, refresh_seconds):
        """Whether a search sees the document yet: refreshed since it was written, or the interval passed."""
        written = self.indexed_at.get(doc_id, 0.0)
        return written <= self.refreshed_at or written + refresh_seconds <= time.time()

    def validate(self, source, properties=None, path=""):
        """Refuse a document the mapping would refuse (strict at the top, per object below)."""
        properties = self.mappings.get("properties", {}) if properties is None else properties
        for name, value in source.items():
            spec = properties.get(name)
            if spec is None:
                raise ApiError(400, "strict_dynamic_mapping_exception",
                               f"mapping set to strict, dynamic introduction of [{name}] within [{path or '_doc'}] "
                               "is not allowed")
            if spec.get("type") == "object":
                known = spec.get("properties", {})
                self.validate({k: v for k, v in (value or {}).items() if k in known or spec.get("dynamic") is not False},
                              known, f"{path}{name}.")
                continue
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    _check_value(spec["type"], item, path + name)

    def put_mapping(self, body):
        """Add fields to the mapping; a field whose type would change is refused, as the real server does."""
        merge_properties(self.mappings.setdefault("properties", {}), body.get("properties", {}))

    def put(self, doc_id, source, create_only=False):
        """Store a document; returns (result, version)."""
        if create_only and doc_id in self.docs:
            return "noop", self.versions[doc_id]
        self.validate(source)
        result = "updated" if doc_id in self.docs else "created"
        self.docs[doc_id] = source
        self.indexed_at[doc_id] = time.time()
        self.versions[doc_id] = self.versions.get(doc_id, 0) + 1
        return result, self.versions[doc_id]


    def update(self, doc_id, body):
        """A partial update ({"doc": fields}): merged into the stored source; never creates a document."""
        if set(body) - {"doc", "doc_as_upsert", "detect_noop"} or body.get("doc_as_upsert"):
            raise ApiError(400, "x_content_parse_exception", f"[UpdateRequest] unknown field {sorted(body)}")
        if doc_id not in self.docs:
            raise ApiError(404, "document_missing_exception", f"[{doc_id}]: document missing")
        merged = {**self.docs[doc_id], **body["doc"]}
        if merged == self.docs[doc_id]:
            return {"result": "noop", "_version": self.versions[doc_id], "status": 200}
        result, version = self.put(doc_id, merged)
        return {"result": result, "_version": version, "status": 200}


def merge_properties(have, new, path=""):
    """Merge new field mappings into have (in place), refusing a changed type."""
    for name, spec in new.items():
        if name not in have:
            have[name] = spec
        elif "properties" in spec:
            merge_properties(have[name].setdefault("properties", {}), spec["properties"], f"{path}{name}.")
        elif have[name].get("type") != spec.get("type"):
            raise ApiError(400, "illegal_argument_exception",
                           f"mapper [{path}{name}] cannot be changed from type [{have[name].get('type')}] "
                           f"to [{spec.get('type')}]")


def field_value(source, path):
    """The value at a dotted path (answers.role) of a source document, or None."""
    for part in path.split("."):
        source = source.get(part) if isinstance(source, dict) else None
    return source


def texts_of(source, fields):
    """{field: text} of the string values a query's fields name (x.plain is x's text)."""
    found = {}
    for name in fields:
        value = field_value(source, name.removesuffix(".plain"))
        if isinstance(value, str):
            found[name] = value
    return found


def parse_sqs(text):
    """Our simple_query_string subset: (a | "b c" | d*) groups and -excluded terms."""
    groups, excluded = [], []
    for neg_group, group, neg, term in _SQS_PART.findall(text):
        if group:
            groups.append([t.strip() for t in group.split("|")])
        else:
            excluded.append(term)
    return groups, excluded


def _term_hits(term, tokens, plain):
    """Token positions where a term matches, or None when the analyzer leaves nothing of it (stop words)."""
    if term.endswith("*"):  # not analysed: compared with the indexed tokens as they are
        prefix = fold(term[:-1])
        return [i for i, token in enumerate(tokens) if token and token.startswith(prefix)]
    wanted = analyze(term, plain)
    if not any(wanted):
        return None
    hits = []
    for i in range(len(tokens) - len(wanted) + 1):
        if all(w is None or tokens[i + j] == w for j, w in enumerate(wanted)):
            hits += [i + j for j, w in enumerate(wanted) if w is not None]
    return hits


def match_text(sqs, texts):
    """(matched, score) of {field: text} against a simple_query_string, term-centric over fields:
    each group must match in some field, no excluded term in any. Terms the analyzer removes
    entirely are left out, as Lucene leaves them out; nothing left matches nothing."""
    groups, excluded = parse_sqs(sqs)
    tokens = {name: analyze(text, name.endswith(".plain")) for name, text in texts.items()}

    def hits(term):
        found = [_term_hits(term.strip('"'), t, name.endswith(".plain")) for name, t in tokens.items()]
        return None if found and all(f is None for f in found) else [p for f in found if f for p in f]

    if any(hits(t) for t in excluded):
        return False, 0.0
    live = [[h for h in map(hits, group) if h is not None] for group in groups]
    live = [group for group in live if group]
    if groups and not live or not all(any(group) for group in live):  # a pure exclusion matches the rest
        return False, 0.0
    words = sum(len(t) for t in tokens.values())
    return True, float(sum(len(h) for group in live for h in group)) / (1 + words) + 1.0


def positions_in(sqs, text, plain=False):
    """Word positions in text where any positive term of the query matches (for highlights)."""
    groups, _ = parse_sqs(sqs)
    tokens = analyze(text, plain)
    return {p for group in groups for term in group for p in (_term_hits(term.strip('"'), tokens, plain) or [])}


def highlight(essay, positions, pre, post, fragment_size=None):
    """The fragment (about fragment_size characters from the sentence of the first match, as the
    unified highlighter cuts; everything if None) HTML-escaped, matched words in pre/post tags."""
    words = list(_WORD.finditer(essay))
    start = 0
    if fragment_size and positions:
        first = words[min(positions)].start()
        start = max((m.end() for m in re.finditer(r"[.!?]\s+", essay[:first])), default=0)
    end = len(essay) if not fragment_size else start + fragment_size
    out, last = [], start
    for i, m in enumerate(words):
        if i in positions and start <= m.start() < end:
            out += [html.escape(essay[last:m.start()]), pre, html.escape(m.group()), post]
            last = m.end()
    out.append(html.escape(essay[last:max(last, end)]))
    return "".join(out)


def millis(iso):
    """Epoch milliseconds of an ISO timestamp, as OpenSearch stores dates."""
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def _in_range(value, bounds):
    ops = {"gte": value.__ge__, "gt": value.__gt__, "lte": value.__le__, "lt": value.__lt__}
    return all(ops[op](bound) for op, bound in bounds.items() if op != "format")


def score_of(clause, source, doc_id):
    """The score of a document for a query clause, or None when it does not match."""
    (kind, spec), = clause.items()
    if kind == "match_all":
        return 1.0
    if kind == "simple_query_string":
        matched, score = match_text(spec["query"], texts_of(source, spec["fields"]))
        return score if matched else None
    if kind == "bool":
        return _bool_score(spec, source, doc_id)
    return 0.0 if filter_ok(clause, source, doc_id) else None


def _bool_score(spec, source, doc_id):
    if not all(filter_ok(c, source, doc_id) for c in spec.get("filter", [])):
        return None
    if any(score_of(c, source, doc_id) is not None for c in spec.get("must_not", [])):
        return None
    musts = [score_of(c, source, doc_id) for c in spec.get("must", [])]
    if any(s is None for s in musts):
        return None
    shoulds = [s for s in (score_of(c, source, doc_id) for c in spec.get("should", [])) if s is not None]
    needed = spec.get("minimum_should_match", 0 if musts or "filter" in spec or "must_not" in spec else 1)
    if spec.get("should") and len(shoulds) < int(needed):
        return None
    return sum(musts) + sum(shoulds)


def filter_ok(clause, source, doc_id):
    """Whether a document passes one filter clause (term, range, ids, bool)."""
    (kind, spec), = clause.items()
    if kind in ("bool", "simple_query_string", "match_all"):
        return score_of(clause, source, doc_id) is not None
    if kind == "ids":
        return doc_id in spec["values"]
    (field, value), = spec.items()
    if kind == "term":
        stored = field_value(source, field)
        return value in stored if isinstance(stored, list) else stored == value
    if kind == "wildcard":
        return isinstance(source.get(field), str) and wildcard(value["value"]).fullmatch(source[field]) is not None
    if kind == "range":
        stored = source.get(field, "")
        if value.get("format") == "epoch_millis":
            return _in_range(millis(stored), value)
        return _in_range(stored[:10], value)
    raise ApiError(400, "parsing_exception", f"unknown query [{kind}]")


def wildcard(pattern):
    """A wildcard query's pattern as a regex: * any run, ? one character, \\ escapes."""
    parts = re.findall(r"\\.|\*|\?|[^\\*?]+", pattern)
    return re.compile("".join(".*" if p == "*" else "." if p == "?" else re.escape(p[-1] if p.startswith("\\") else p)
                              for p in parts), re.S)


def positive_text_queries(clause):
    """The simple_query_string texts that can make a document match (highlights come from these)."""
    (kind, spec), = (clause or {"match_all": {}}).items()
    if kind == "simple_query_string":
        return [spec["query"]]
    if kind == "bool":
        return [q for c in spec.get("must", []) + spec.get("should", []) for q in positive_text_queries(c)]
    return []


def json_default(value):
    """Serialize dates the way OpenSearch echoes them."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(value)


def dumps(body):
    """JSON bytes of a response body."""
    return json.dumps(body, default=json_default).encode()
