"""The OpenSearch search engine: elasticsearch-dsl bodies in, result objects out."""
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from elasticsearch_dsl import Q, Search
from flask import current_app
from markupsafe import Markup

import es_client
from collector import journal
from collector.search.insights import fill_days
from collector.search.model import Hit, Overview, Page, SearchUnavailable
from collector.search.snippets import opening
from models import SurveyResponse

SQS_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|WHITESPACE|PRECEDENCE"


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
    if query.email:
        filters.append(Q("term", email=query.email))
    return filters


def _matching(query):
    """A Search with the query's text and filters, nothing else."""
    groups, excluded = query.terms()
    s = Search()
    for condition in _filters(query):
        s = s.filter(condition)
    if groups or excluded:
        text = sqs_query(groups, excluded)
        s = s.query("simple_query_string", query=text, fields=["essay"], default_operator="and", flags=SQS_FLAGS)
    return s


def search_body(query):
    """The _search body for a Query: text, filters, html-encoded highlight, paging, exact total."""
    groups, _ = query.terms()
    s = _matching(query)
    order = ["_score", {"submitted_at": "desc"}] if groups else [{"submitted_at": "desc"}]
    s = s.sort(*order).highlight("essay", fragment_size=200, number_of_fragments=1)
    s = s.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"])
    return s.extra(track_total_hits=True, from_=query.offset, size=query.per_page).to_dict()


def scan_body(query, boundary, seen, size):
    """One page of a newest-first scan, after `boundary` (epoch ms) minus the ids seen at it."""
    s = _matching(query).sort({"submitted_at": "desc"}).extra(size=size)
    if boundary is not None:
        s = s.filter("range", submitted_at={"lte": boundary, "format": "epoch_millis"})
        s = s.exclude("ids", values=seen) if seen else s
    return s.to_dict()


def per_day_body(query):
    """Answers per UTC day for the query: a date_histogram, no hits."""
    s = _matching(query).extra(size=0)
    s.aggs.bucket("per_day", "date_histogram", field="submitted_at", calendar_interval="day",
                  format="yyyy-MM-dd", min_doc_count=1)
    return s.to_dict()


def totals_body(today):
    """All answers, today's, the last 7 days' and spam, in one request."""
    s = Search().extra(size=0, track_total_hits=True)
    for name, since in (("today", today), ("last_7_days", today - timedelta(days=6))):
        s.aggs.bucket(name, "filter", Q("range", submitted_at={"gte": since.isoformat(), "format": "strict_date"}))
    s.aggs.bucket("spam", "filter", Q("term", is_spam=True))
    return s.to_dict()


def to_hit(raw):
    """A raw search hit as a Hit; without a highlight, the essay's escaped opening."""
    doc = SurveyResponse.from_source(raw["_id"], raw["_source"])
    fragments = raw.get("highlight", {}).get("essay")
    if fragments:  # encoder=html: OpenSearch escaped the essay text around the <mark> tags
        return Hit(doc, Markup(fragments[0]))
    return Hit(doc, opening(doc.essay))


@contextmanager
def _answering():
    """Turn the client's 'domain did not answer' into the model's SearchUnavailable."""
    try:
        yield
    except es_client.DomainUnavailable as exc:
        raise SearchUnavailable(str(exc)) from exc


class OpenSearchEngine:
    """Search, fetch and delete answers in the OpenSearch index behind SEARCH_INDEX."""

    def __init__(self, alias):
        self.alias = alias

    @staticmethod
    def _client():
        return es_client.get_client(current_app)

    def _search(self, body):
        with _answering():
            return es_client.run_search(self._client(), self.alias, body)

    def search(self, query):
        """One page of matches for query."""
        raw = self._search(search_body(query))
        if raw is None:
            return Page(query, 0, [])
        hits = raw["hits"]
        return Page(query, hits["total"]["value"], [to_hit(h) for h in hits["hits"]])

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

    def overview(self, query):
        """Totals over everything, and answers per day for the query."""
        today = datetime.now(timezone.utc).date()
        totals, days = self._search(totals_body(today)), self._search(per_day_body(query))
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
        )

    def get(self, doc_id):
        """One answer by id, or None."""
        with _answering():
            raw = es_client.get_hit(self._client(), self.alias, doc_id)
        return SurveyResponse.from_source(raw["_id"], raw["_source"]) if raw and raw.get("found") else None

    def delete(self, doc_ids):
        """Erase answers from the index and from this instance's journal."""
        journal.delete(doc_ids)
        with _answering():
            return es_client.delete_ids(self._client(), self.alias, doc_ids)

    def status(self):
        """'ok' when the domain answers, else 'unreachable'."""
        return "ok" if es_client.reachable(self._client(), self.alias) else "unreachable"
