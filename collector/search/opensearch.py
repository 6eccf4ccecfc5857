"""The OpenSearch search engine: elasticsearch-dsl bodies in, result objects out."""
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from elasticsearch_dsl import Q, Search
from flask import current_app

import es_client
from collector import journal
from collector.search import highlights
from collector.search.insights import fill_days
from collector.search.model import SearchUnavailable
from collector.search.opensearch_analysis import OpenSearchAnalysis
from collector.search.results import Hit, Overview, Page
from collector.search.snippets import opening
from models import SurveyResponse

SQS_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|WHITESPACE|PRECEDENCE"
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
    for name, include in query.codes:
        filters.append(Q("term", codes=name) if include else ~Q("term", codes=name))
    return filters


def _any_of(terms, field):
    """simple_query_string matching any of the terms in one field."""
    return Q("simple_query_string", query=sqs_query([terms], []), fields=[field],
             default_operator="and", flags=SQS_FLAGS)


def _word_queries(query):
    """What the words require: whole words and phrases on the English field, prefixes on its
    unstemmed `.plain` sub-field (a prefix against stems misses: deploy* vs deploi)."""
    groups, excluded = query.terms()
    field = f"answers.{query.within}" if query.within else "essay"
    whole = [group for group in groups if not any(t.prefix for t in group)]
    whole_excluded = [t for t in excluded if not t.prefix]
    queries = [Q("simple_query_string", query=sqs_query(whole, whole_excluded), fields=[field],
                 default_operator="and", flags=SQS_FLAGS)] if whole or whole_excluded else []
    for group in (g for g in groups if g not in whole):
        either = [_any_of(terms, name) for terms, name in (([t for t in group if not t.prefix], field),
                                                           ([t for t in group if t.prefix], f"{field}.plain")) if terms]
        queries.append(either[0] if len(either) == 1 else Q("bool", should=either, minimum_should_match=1))
    if prefixed := [t for t in excluded if t.prefix]:
        queries.append(~_any_of(prefixed, f"{field}.plain"))
    return queries


def _matching(query):
    """A Search with the query's text and filters, nothing else."""
    s = Search()
    for condition in _filters(query):
        s = s.filter(condition)
    for words in _word_queries(query):
        s = s.query(words)
    return s


def search_body(query, text_fields=()):
    """The _search body for a Query: text, filters, html-encoded highlight, paging, exact total.

    Highlights come from each text question's own field (so a hit can say which question
    matched), then from `essay` for answers stored before there were several questions.
    """
    groups, _ = query.terms()
    s = _matching(query)
    newest = {"submitted_at": "asc" if query.sort == "oldest" else "desc"}
    order = ["_score", newest] if groups and query.sort == "relevance" else [newest]
    fields = [f"answers.{query.within}"] if query.within else [f"answers.{name}" for name in text_fields] + ["essay"]
    s = s.sort(*order).highlight(*fields, number_of_fragments=0)
    for name, options in highlights.prefix_highlights(groups, fields).items():
        s = s.highlight(name, **options)
    s = s.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"], require_field_match=False)
    return s.extra(track_total_hits=True, from_=query.offset, size=query.per_page).to_dict()


def scan_body(query, boundary, seen, size):
    """One page of a newest-first scan, after `boundary` (epoch ms) minus the ids seen at it."""
    s = _matching(query).sort({"submitted_at": "desc"}).extra(size=size)
    if boundary is not None:
        s = s.filter("range", submitted_at={"lte": boundary, "format": "epoch_millis"})
        s = s.exclude("ids", values=seen) if seen else s
    return s.to_dict()


def per_day_body(query, facets=()):
    """Answers per UTC day for the query, and per value of each facet field: aggregations, no hits."""
    s = _matching(query).extra(size=0)
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


def to_hit(raw, text_fields=()):
    """A raw search hit as a Hit from the first highlighted field; else the first text answer's opening."""
    doc, found = SurveyResponse.from_source(raw["_id"], raw["_source"]), raw.get("highlight", {})
    for name in [f"answers.{n}" for n in text_fields] + [n for n in found if n not in text_fields] + ["essay"]:
        if marked := found.get(name, []) + found.get(f"{name}.plain", []):
            # encoder=html: OpenSearch escaped the answer text around the <mark> tags
            question = name.removeprefix("answers.") if name != "essay" else _lone_text(doc, text_fields)
            return Hit(doc, highlights.fragment(marked), question)
    answers = doc.answers.to_dict() if doc.answers else {}
    first = next((name for name in text_fields if answers.get(name)), None)
    return Hit(doc, opening(answers[first] if first else doc.essay), first)


def _lone_text(doc, text_fields):
    answered = [name for name in text_fields if doc.answers and doc.answers.to_dict().get(name)]
    return answered[0] if len(answered) == 1 else None


@contextmanager
def _answering():
    """Turn the client's 'domain did not answer' into the model's SearchUnavailable."""
    try:
        yield
    except es_client.DomainUnavailable as exc:
        raise SearchUnavailable(str(exc)) from exc


class OpenSearchEngine(OpenSearchAnalysis):
    """Search, fetch and delete answers in the OpenSearch index behind SEARCH_INDEX."""

    def __init__(self, alias, text_fields=()):
        self.alias, self.text_fields = alias, tuple(text_fields)

    @staticmethod
    def _client():
        return es_client.get_client(current_app)

    def _search(self, body):
        with _answering():
            return es_client.run_search(self._client(), self.alias, body)

    @staticmethod
    def _matching_search(query):
        return _matching(query)

    def search(self, query):
        """One page of matches for query."""
        raw = self._search(search_body(query, self.text_fields))
        if raw is None:
            return Page(query, 0, [])
        hits = raw["hits"]
        return Page(query, hits["total"]["value"], [to_hit(h, self.text_fields) for h in hits["hits"]])

    def scan(self, query, batch=500):
        """Every match, newest first, by search_after on the date (scroll/PIT leave <alias>*)."""
        boundary, seen = None, []
        while True:
            raw = self._search(scan_body(query, boundary, seen, batch))
            hits = raw["hits"]["hits"] if raw else []
            yield from (SurveyResponse.from_source(hit["_id"], hit["_source"]) for hit in hits)
            if len(hits) < batch:
                return
            last = hits[-1]["sort"][0]
            seen = (seen if last == boundary else []) + [h["_id"] for h in hits if h["sort"][0] == last]
            boundary = last

    def overview(self, query, facets=()):
        """Totals over everything, answers per day and per facet value for the query."""
        today = datetime.now(timezone.utc).date()
        totals, days = self._search(totals_body(today)), self._search(per_day_body(query, facets))
        if totals is None or days is None:
            return Overview(0, 0, 0, 0, [])
        aggs = totals["aggregations"]
        buckets = days["aggregations"]["per_day"]["buckets"]
        return Overview(
            total=totals["hits"]["total"]["value"],
            today=aggs["today"]["doc_count"],
            last_7_days=aggs["last_7_days"]["doc_count"],
            spam=aggs["spam"]["doc_count"],
            per_day=fill_days([(b["key_as_string"], b["doc_count"]) for b in buckets]),
            distributions={name: {b["key"]: b["doc_count"] for b in days["aggregations"][f"facet_{name}"]["buckets"]}
                           for name in facets},
        )

    def get(self, doc_id):
        """One answer by id, or None."""
        with _answering():
            raw = es_client.get_hit(self._client(), self.alias, doc_id)
        return SurveyResponse.from_source(raw["_id"], raw["_source"]) if raw and raw.get("found") else None

    def delete(self, doc_ids):
        """Erase answers from the index and from this instance's journal; gone from searches at once."""
        journal.delete(doc_ids)
        with _answering():
            deleted = es_client.delete_ids(self._client(), self.alias, doc_ids)
            es_client.refresh(self._client(), self.alias)  # the erasing analyst's next page must not count them
        return deleted

    def settle(self):
        """Make answers shipped moments ago (by any instance) searchable; False where it cannot (Serverless)."""
        with _answering():
            return es_client.refresh(self._client(), self.alias)

    def status(self):
        """'ok' when the domain answers, else 'unreachable'."""
        return "ok" if es_client.reachable(self._client(), self.alias) else "unreachable"
