"""The OpenSearch search engine: bodies (opensearch_bodies.py) to the domain, result objects out."""

from flask import current_app

import es_client
from collector.common import clock
from collector.journal import verdicts
from collector.search import by_meaning, highlights
from collector.search.charts import fill_days
from collector.search.opensearch_analysis import OpenSearchAnalysis
from collector.search.opensearch_bodies import in_language, matching, per_day_body, scan_body, search_body, totals_body
from collector.search.results import Hit, Overview, Page
from collector.search.snippets import opening
from models import ANALYSED_LANGUAGES, SurveyResponse


def to_hit(raw, text_fields=()):
    """A raw search hit as a Hit from the first highlighted field; else the first text answer's opening."""
    doc = SurveyResponse.from_source(raw["_id"], raw["_source"])
    found = raw.get("highlight", {})
    language = (doc.answers.to_dict() if doc.answers else {}).get("language")
    own = language if language in ANALYSED_LANGUAGES else ""  # its own language's marks, where it has them
    for name in [f"answers.{n}" for n in text_fields] + ["essay"]:
        if marked := found.get(in_language(name, own), []) + found.get(f"{name}.plain", []):
            # encoder=html: OpenSearch escaped the answer text around the <mark> tags
            question = name.removeprefix("answers.") if name != "essay" else _lone_text(doc, text_fields)
            return Hit(doc, highlights.fragment(marked), question)
    answers = doc.answers.to_dict() if doc.answers else {}
    first = next((name for name in text_fields if answers.get(name)), None)
    return Hit(doc, opening(answers[first] if first else doc.essay), first)


def _lone_text(doc, text_fields):
    answered = [name for name in text_fields if doc.answers and doc.answers.to_dict().get(name)]
    return answered[0] if len(answered) == 1 else None


class OpenSearchEngine(OpenSearchAnalysis):
    """Search, fetch and delete answers in the OpenSearch index behind SEARCH_INDEX."""

    def __init__(self, alias, text_fields=()):
        self.alias = alias
        self.text_fields = tuple(text_fields)

    @staticmethod
    def _client():
        return es_client.get_client(current_app)

    def _search(self, body):
        return es_client.run_search(self._client(), self.alias, body)

    @staticmethod
    def _matching_search(query):
        return matching(query)

    def search(self, query):
        """One page of matches for query (or by meaning)."""
        if query.mode != "words":
            return by_meaning.search(self, query)
        raw = self._search(search_body(query, self.text_fields))
        if raw is None:
            return Page(query, 0, [])
        hits = raw["hits"]
        return Page(query, hits["total"]["value"], [to_hit(h, self.text_fields) for h in hits["hits"]])

    def scan(self, query, batch=500):
        """Every match, newest first, by search_after on the date (scroll/PIT leave <alias>*)."""
        boundary = None
        seen = []
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
        today = clock.utc().date()
        totals = self._search(totals_body(today))
        days = self._search(per_day_body(query, facets))
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
        raw = es_client.get_hit(self._client(), self.alias, doc_id)
        return SurveyResponse.from_source(raw["_id"], raw["_source"]) if raw and raw.get("found") else None

    def forget(self, doc_ids, emails=()):
        """Erase answers from every version of the index (the emails' answers were found by id already);
        gone from searches at once."""
        if not doc_ids:
            return 0
        deleted = self._delete_everywhere(doc_ids)
        es_client.refresh(self._client(), self.alias)  # the erasing analyst's next page must not count them
        return deleted

    def mark_spam(self, doc_ids, is_spam):
        """An analyst's verdict on answers, in the index (searchable at once; dated, so no shipment replaces
        it) and in this instance's journal; how many the index holds."""
        verdict = {"is_spam": bool(is_spam), "spam_verdict_at": clock.utc()}
        lines = b"".join(es_client.update_lines(doc_id, verdict) for doc_id in doc_ids)
        items = self._send(lines)
        if any("strict_dynamic_mapping" in str(error) for _, error in items):  # an index from before the date
            self._add_fields({"spam_verdict_at": {"type": "date"}})
            items = self._send(lines)
        es_client.refresh(self._client(), self.alias)
        verdicts.mark_spam(doc_ids, is_spam)  # after the index took it: a refusal changes nothing
        return sum(status == 200 for status, _ in items)

    def _delete_everywhere(self, doc_ids):
        """Delete behind the alias, then from every other version of the index (a copy a reindex is making,
        or an old one it left); how many the alias held."""
        client = self._client()
        deleted = es_client.delete_ids(client, self.alias, doc_ids)
        # GET /<alias>-v*/_alias and /<alias>/_alias: inside the role's <alias>* resource; None: no such index
        versions = es_client.get_aliases(client, f"{self.alias}-v*") or {}
        for index in sorted(set(versions) - set(es_client.get_aliases(client, self.alias) or {})):
            es_client.delete_ids(client, index, doc_ids, require_alias=False)
        return deleted

    def _add_fields(self, properties):
        """Add top-level fields to the mapping of the index behind the alias (new fields: done in place)."""
        try:
            self._client().indices.put_mapping(index=self.alias, body={"properties": properties})
        except es_client.TransportError as exc:
            raise es_client.unavailable(exc) from exc

    def _send(self, lines):
        try:
            return es_client.send_bulk(self._client(), self.alias, lines)
        except es_client.TransportError as exc:
            raise es_client.unavailable(exc) from exc

    def settle(self):
        """Make answers shipped moments ago (by any instance) searchable; False where it cannot (Serverless)."""
        return es_client.refresh(self._client(), self.alias)

    def status(self):
        """'ok' when the domain answers, else 'unreachable'."""
        return "ok" if es_client.reachable(self._client(), self.alias) else "unreachable"
