"""The stand-in's aggregations (filter, date_histogram, terms with sub-aggregations, sampler,
significant_text) and more_like_this, as far as the app uses them."""
import math
import re
from collections import Counter

from tests.standin.engine import STOP_WORDS, ApiError, analyze, field_value, filter_ok, millis

FILLER = "_"


def aggregate(index, docs, spec):
    """One aggregation over [(doc_id, source)], with its sub-aggregations."""
    kind = next(k for k in spec if k not in ("aggs", "aggregations"))
    subs = spec.get("aggs") or spec.get("aggregations") or {}
    if kind == "filter":
        return _bucket(index, [(i, s) for i, s in docs if filter_ok(spec["filter"], s, i)], subs)
    if kind == "sampler":
        return _bucket(index, docs[:spec["sampler"].get("shard_size", 100)], subs)
    if kind == "date_histogram":
        assert spec["date_histogram"]["calendar_interval"] == "day"
        days = {}
        for doc in docs:
            days.setdefault(doc[1]["submitted_at"][:10], []).append(doc)
        return {"buckets": [{"key_as_string": day, "key": millis(day + "T00:00:00+00:00"), **_bucket(index, d, subs)}
                            for day, d in sorted(days.items())]}
    if kind == "terms":
        return _terms(index, docs, spec["terms"], subs)
    if kind == "significant_text":
        return significant_text(index, docs, spec["significant_text"])
    raise ApiError(400, "parsing_exception", f"unknown aggregation [{kind}]")


def _bucket(index, docs, subs):
    return {"doc_count": len(docs), **{name: aggregate(index, docs, sub) for name, sub in subs.items()}}


def _terms(index, docs, spec, subs):
    groups = {}
    for doc in docs:
        value = field_value(doc[1], spec["field"])
        for key in set(value) if isinstance(value, list) else [] if value is None else [value]:
            groups.setdefault(key, []).append(doc)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), str(item[0])))[:spec.get("size", 10)]
    buckets = []
    for key, members in ranked:
        shown = {"key": int(key), "key_as_string": str(key).lower()} if isinstance(key, bool) else {"key": key}
        buckets.append({**shown, **_bucket(index, members, subs)})
    return {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": buckets}


def _mapped(index, field):
    base, _, sub = field.partition(".")
    spec = index.mappings.get("properties", {}).get(base, {})
    return bool(spec) and (not sub or sub in spec.get("fields", {}))


def tokens_of(field, text):
    """The terms significant_text sees in text for essay.plain or essay.pairs."""
    words = analyze(text, plain=True)
    if not field.endswith(".pairs"):
        return set(words)
    kept = [None if w in STOP_WORDS else w for w in words]
    return {f"{a or FILLER} {b or FILLER}" for a, b in zip(kept, kept[1:]) if a or b}


def _excluded(spec, term):
    exclude = spec.get("exclude")
    if isinstance(exclude, str):
        return re.fullmatch(exclude, term) is not None
    return term in set(exclude or [])


def significant_text(index, docs, spec):
    """JLH-scored terms of the sample's source text against every document (or background_filter)."""
    field = spec["field"]
    if not _mapped(index, field):
        return {"doc_count": len(docs), "bg_count": 0, "buckets": []}
    sources = spec.get("source_fields") or [field]
    background = [(i, s) for i, s in index.docs.items()
                  if "background_filter" not in spec or filter_ok(spec["background_filter"], s, i)]

    def terms(source):
        return set().union(*(tokens_of(field, field_value(source, f) or "") for f in sources))

    fg, bg = Counter(), Counter()
    for _, source in docs:
        fg.update(terms(source))
    for _, source in background:
        bg.update(terms(source))
    buckets = []
    for term, count in fg.items():
        if count < spec.get("min_doc_count", 3) or _excluded(spec, term):
            continue
        p, q = count / len(docs), bg[term] / len(background)
        if p > q:
            buckets.append({"key": term, "doc_count": count, "score": (p - q) * (p / q), "bg_count": bg[term]})
    buckets.sort(key=lambda b: (-b["score"], b["key"]))
    return {"doc_count": len(docs), "bg_count": len(background), "buckets": buckets[:spec.get("size", 10)]}


def expand_more_like_this(index, query):
    """A more_like_this query as the bool query of the liked answer's rarest words, without itself."""
    (kind, spec), = (query or {"match_all": {}}).items()
    if kind != "more_like_this":
        return query
    liked = [item["_id"] for item in spec["like"]]
    if set(spec) - {"fields", "like", "min_term_freq", "min_doc_freq", "max_query_terms", "min_word_length"}:
        raise ApiError(400, "parsing_exception", f"[more_like_this] unknown field {sorted(spec)}")
    words = Counter(w for i in liked if i in index.docs for f in spec["fields"]
                    for w in analyze(field_value(index.docs[i], f) or "", plain=True) if w not in STOP_WORDS)
    df = Counter(w for s in index.docs.values() for w in set(analyze(s.get("essay") or "", plain=True)))
    weight = {w: n * math.log(1 + len(index.docs) / df[w]) for w, n in words.items() if df[w]}
    chosen = sorted(weight, key=lambda w: (-weight[w], w))[:spec.get("max_query_terms", 25)]
    should = [{"simple_query_string": {"query": f'("{w}")', "fields": spec["fields"]}} for w in chosen]
    return {"bool": {"should": should or [{"ids": {"values": []}}], "minimum_should_match": 1,
                     "must_not": [{"ids": {"values": liked}}]}}
