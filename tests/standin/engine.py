"""In-memory indices that answer like OpenSearch for the calls the app makes."""
import html
import ipaddress
import json
import re
from datetime import date, datetime

_WORD = re.compile(r"\w+")
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


def stem(word):
    """A crude English stemmer: enough that run, runs, running and ran-less forms meet."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2]:
                word = word[:-1]
            break
    return word


def _check_value(kind, value, name):
    checks = {
        "ip": lambda v: ipaddress.ip_address(v),
        "date": lambda v: datetime.fromisoformat(v),
        "boolean": lambda v: v if isinstance(v, bool) else int("x"),
        "float": lambda v: float(v),
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
        self.docs, self.versions = {}, {}

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
        self.versions[doc_id] = self.versions.get(doc_id, 0) + 1
        return result, self.versions[doc_id]


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
    """{field: text} of the string values a query's fields name."""
    return {name: value for name in fields if isinstance(value := field_value(source, name), str)}


def parse_sqs(text):
    """Our simple_query_string subset: (a | "b c" | d*) groups and -excluded terms."""
    groups, excluded = [], []
    for neg_group, group, neg, term in _SQS_PART.findall(text):
        if group:
            groups.append([t.strip() for t in group.split("|")])
        else:
            excluded.append(term)
    return groups, excluded


def _term_hits(term, tokens):
    """Positions in tokens [(raw, stem)] where a term matches."""
    if term.endswith("*"):
        prefix = term[:-1].lower()
        return [i for i, (raw, _) in enumerate(tokens) if raw.startswith(prefix)]
    words = [stem(w) for w in _WORD.findall(term)]
    stems = [s for _, s in tokens]
    return [
        j for i in range(len(stems) - len(words) + 1) if stems[i:i + len(words)] == words
        for j in range(i, i + len(words))
    ]


def _tokens(text):
    return [(m.group().lower(), stem(m.group())) for m in _WORD.finditer(text)]


def match_text(sqs, texts):
    """(matched, score) of {field: text} against a simple_query_string, term-centric over fields:
    each group must match in some field, no excluded term in any."""
    groups, excluded = parse_sqs(sqs)
    tokens = {name: _tokens(text) for name, text in texts.items()}

    def hits(term):
        return [p for t in tokens.values() for p in _term_hits(term.strip('"'), t)]

    if any(hits(t) for t in excluded):
        return False, 0.0
    found = [hits(term) for group in groups for term in group]
    if not all(any(hits(term) for term in group) for group in groups):
        return False, 0.0
    words = sum(len(t) for t in tokens.values())
    return True, float(sum(map(len, found))) / (1 + words) + 1.0


def positions_in(sqs, text):
    """Word positions in text where any positive term of the query matches (for highlights)."""
    groups, _ = parse_sqs(sqs)
    tokens = _tokens(text)
    return {p for group in groups for term in group for p in _term_hits(term.strip('"'), tokens)}


def highlight(essay, positions, pre, post):
    """HTML-escape the essay and wrap the matched word positions in pre/post tags."""
    out, last = [], 0
    for i, m in enumerate(_WORD.finditer(essay)):
        if i in positions:
            out += [html.escape(essay[last:m.start()]), pre, html.escape(m.group()), post]
            last = m.end()
    out.append(html.escape(essay[last:]))
    return "".join(out)


def millis(iso):
    """Epoch milliseconds of an ISO timestamp, as OpenSearch stores dates."""
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def _in_range(value, bounds):
    ops = {"gte": value.__ge__, "gt": value.__gt__, "lte": value.__le__, "lt": value.__lt__}
    return all(ops[op](bound) for op, bound in bounds.items() if op != "format")


def filter_ok(clause, source, doc_id):
    """Whether a document passes one filter clause (term, range, ids, bool)."""
    (kind, spec), = clause.items()
    if kind == "bool":
        return all(filter_ok(c, source, doc_id) for c in spec.get("filter", [])) and not any(
            filter_ok(c, source, doc_id) for c in spec.get("must_not", []))
    if kind == "ids":
        return doc_id in spec["values"]
    (field, value), = spec.items()
    if kind == "term":
        stored = field_value(source, field)
        return value in stored if isinstance(stored, list) else stored == value
    if kind == "range":
        stored = source.get(field, "")
        if value.get("format") == "epoch_millis":
            return _in_range(millis(stored), value)
        return _in_range(stored[:10], value)
    raise ApiError(400, "parsing_exception", f"unknown query [{kind}]")


def split_query(query):
    """(filters, simple_query_string text or None) from a search body's query."""
    if not query or "match_all" in query:
        return [], None
    if "simple_query_string" in query:
        return [], query["simple_query_string"]
    if "bool" in query:
        musts = [q["simple_query_string"] for q in query["bool"].get("must", [])]
        negated = [{"bool": {"must_not": query["bool"]["must_not"]}}] if "must_not" in query["bool"] else []
        return query["bool"].get("filter", []) + negated, (musts[0] if musts else None)
    raise ApiError(400, "parsing_exception", f"unknown query {list(query)}")


def json_default(value):
    """Serialize dates the way OpenSearch echoes them."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(value)


def dumps(body):
    """JSON bytes of a response body."""
    return json.dumps(body, default=json_default).encode()
