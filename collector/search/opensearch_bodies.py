"""The OpenSearch engine's request bodies, built with elasticsearch-dsl: a Query's words and
filters, one page with html-encoded highlights, a newest-first scan, and the dashboard's
aggregations. Analyst words only ever reach the engine through simple_query_string."""
import re
from datetime import timedelta

from elasticsearch_dsl import Q, Search

from collector.search import highlights
from models import ANALYSED_LANGUAGES

SQS_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|WHITESPACE|PRECEDENCE"
LANGUAGE = "answers.language"  # where a multilingual survey's answer keeps the language it was given in
FACET_SIZE = 100  # options per question are few; hidden fields show their 100 most common values


def sqs_term(term):
    """A Term in simple_query_string syntax (its text holds only word characters and spaces)."""
    if term.prefix and " " not in term.text:
        return term.text + "*"
    return f'"{term.text}"'


def sqs_query(groups, excluded):
    """simple_query_string text requiring every OR-group and none of the excluded terms."""
    parts = ["(" + " | ".join(map(sqs_term, group)) + ")" for group in groups]
    return " ".join(parts + ["-" + sqs_term(term) for term in excluded])


def _filters(query):
    filters = []
    if query.date_from or query.date_to:
        bounds = {"gte": query.date_from, "lt": query.date_to and query.date_to + timedelta(days=1)}
        dates = {k: v.isoformat() for k, v in bounds.items() if v}
        filters.append(Q("range", submitted_at=dict(dates, format="strict_date")))
    if query.spam:
        filters.append(Q("term", is_spam=query.spam == "only"))
    if query.email and query.email.startswith("@"):  # a domain: every address at it
        filters.append(Q("wildcard", email={"value": "*" + re.sub(r"([*?\\])", r"\\\1", query.email)}))
    elif query.email:
        filters.append(Q("term", email=query.email))
    if query.survey:
        filters.append(Q("term", survey=query.survey))
    for name, value in query.answer_filters:
        filters.append(Q("term", **{f"answers.{name}": value}))
    for _, include, family in query.codes:
        filters.append(Q("terms", codes=list(family)) if include else ~Q("terms", codes=list(family)))
    return filters


def _any_of(terms, field):
    """simple_query_string matching any of the terms in one field."""
    return Q("simple_query_string", query=sqs_query([terms], []), fields=[field],
             default_operator="and", flags=SQS_FLAGS)


def analysed(query):
    """The languages of the query's surveys that have an analyzer of their own (German, French)."""
    return [tag for tag in query.languages if tag in ANALYSED_LANGUAGES]


def _language_words(query):
    """The word queries, each answer read in its own language: a German answer's words by the German
    analysis (its copies under `de`), and an answer in any other language, or none, by the English one."""
    tags = analysed(query)
    chosen = {value for name, value in query.answer_filters if name == "language"}
    if not tags or not any(query.terms()):
        return _words_in(query, "")
    if len(chosen) == 1 and (tag := next(iter(chosen))) in tags:  # lang=de: only German answers are selected
        return _words_in(query, tag)
    own = [Q("bool", filter=[Q("term", **{LANGUAGE: tag})], must=_words_in(query, tag)) for tag in tags]
    rest = Q("bool", must_not=[Q("terms", **{LANGUAGE: tags})], must=_words_in(query, ""))
    return [Q("bool", should=[*own, rest], minimum_should_match=1)]


def in_language(field, tag):
    """Where a field's text is analysed in a language ('' for English): `essay`, `de.essay`, `fr.answers.<id>`."""
    return f"{tag}.{field}" if tag else field


def _words_in(query, tag):
    """The word queries on the whole answer, or with `in=` on that question's text: in `answers.<id>`, or in
    `essay` where it is the answer's only text (`lone_text`, indexed once)."""
    if not query.within:
        return _word_queries(query, tag, "essay")
    lone = Q("term", lone_text=query.within)
    return [Q("bool", should=[Q("bool", must_not=[lone], must=_word_queries(query, tag, f"answers.{query.within}")),
                              Q("bool", filter=[lone], must=_word_queries(query, tag, "essay"))], minimum_should_match=1)]


def _word_queries(query, tag, field):
    """What the words require of one field: whole words and phrases on its stems in one language (`tag`:
    '' for English, 'de', 'fr'), prefixes on its unstemmed `.plain` sub-field (a prefix against stems
    misses: deploy* vs deploi)."""
    groups, excluded = query.terms()
    stems = in_language(field, tag)
    whole = [group for group in groups if not any(t.prefix for t in group)]
    whole_excluded = [t for t in excluded if not t.prefix]
    queries = [Q("simple_query_string", query=sqs_query(whole, whole_excluded), fields=[stems],
                 default_operator="and", flags=SQS_FLAGS)] if whole or whole_excluded else []
    for group in (g for g in groups if g not in whole):
        either = [_any_of(terms, name) for terms, name in (([t for t in group if not t.prefix], stems),
                                                           ([t for t in group if t.prefix], f"{field}.plain")) if terms]
        queries.append(either[0] if len(either) == 1 else Q("bool", should=either, minimum_should_match=1))
    if prefixed := [t for t in excluded if t.prefix]:
        queries.append(~_any_of(prefixed, f"{field}.plain"))
    return queries


def matching(query):
    """A Search with the query's text and filters, nothing else."""
    s = Search()
    for condition in _filters(query):
        s = s.filter(condition)
    for words in _language_words(query):
        s = s.query(words)
    return s


def search_body(query, text_fields=()):
    """The _search body for a Query: text, filters, html-encoded highlight, paging, exact total.

    Highlights come from each text question's own field (so a hit can say which question
    matched), then from `essay`: an answer's only text is indexed there (and answers stored before
    there were several questions).
    """
    groups, _ = query.terms()
    s = matching(query)
    newest = {"submitted_at": "asc" if query.sort == "oldest" else "desc"}
    order = ["_score", newest] if groups and query.sort == "relevance" else [newest]
    texts = [query.within] if query.within else text_fields
    fields = [f"answers.{name}" for name in texts] + ["essay"]
    s = s.sort(*order)
    for field in fields:
        for tag in ["", *analysed(query)]:
            if words := _word_queries(query, tag, field):
                s = s.highlight(in_language(field, tag), number_of_fragments=0,
                                highlight_query=Q("bool", should=words).to_dict())
    for name, options in highlights.prefix_highlights(groups, fields).items():
        s = s.highlight(name, **options)
    # Each field marks only what its own query matched: never a filter's value, nor another language's stems.
    s = s.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"], require_field_match=True)
    return s.extra(track_total_hits=True, from_=query.offset, size=query.per_page).to_dict()


def scan_body(query, boundary, seen, size):
    """One page of a newest-first scan, after `boundary` (epoch ms) minus the ids seen at it."""
    s = matching(query).sort({"submitted_at": "desc"}).extra(size=size)
    if boundary is not None:
        s = s.filter("range", submitted_at={"lte": boundary, "format": "epoch_millis"})
        s = s.exclude("ids", values=seen) if seen else s
    return s.to_dict()


def per_day_body(query, facets=()):
    """Answers per UTC day for the query, and per value of each facet field: aggregations, no hits."""
    s = matching(query).extra(size=0)
    s.aggs.bucket("per_day", "date_histogram", field="submitted_at", calendar_interval="day",
                  format="yyyy-MM-dd", min_doc_count=1)
    for name in facets:
        s.aggs.bucket(f"facet_{name}", "terms", field=f"answers.{name}", size=FACET_SIZE)
    return s.to_dict()


def totals_body(today):
    """All answers, today's, the last 7 days' and spam, in one request."""
    s = Search().extra(size=0, track_total_hits=True)
    for name, since in (("today", today), ("last_7_days", today - timedelta(days=6))):
        s.aggs.bucket(name, "filter", Q("range", submitted_at={"gte": since.isoformat(), "format": "strict_date"}))
    s.aggs.bucket("spam", "filter", Q("term", is_spam=True))
    return s.to_dict()


def uncoded_body(query, since, code, skip, size):
    """Matches submitted after `since` (ISO) without the code (by name), not among `skip` ids; oldest first."""
    s = matching(query).filter("range", submitted_at={"gt": since}).exclude("term", codes=code)
    s = s.exclude("ids", values=list(skip)) if skip else s
    return s.sort({"submitted_at": "asc"}).extra(size=size, _source=False).to_dict()
