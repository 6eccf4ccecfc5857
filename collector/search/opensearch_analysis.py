"""What the OpenSearch engine tells analysts beyond a page of hits, as aggregations: codes per
day and per group, distinctive terms (the newest matches counted, their background as filters)
and more_like_this."""
import numpy as np
from elasticsearch_dsl import Q, Search

import es_client
from collector.common.error_pages import UserError
from collector.search import condition_filters, distinctive
from collector.search.opensearch_bodies import matching
from collector.search.results import Crosstab
from models import VECTOR_FIELD, SurveyResponse

NO_VECTORS = ("The search index was made before answers had a meaning (vectors): an operator runs "
              "`flask reindex` once, and answers are found by meaning from then on.")

CODES_SIZE = 500
PAIRS_PAGE = 10_000  # code pairs a request asks for (the domain's search.max_buckets is 65,535)
GROUPS_SIZE = 100


def codes_agg(s_aggs):
    """Add a terms aggregation over the codes to an aggregation container."""
    return s_aggs.bucket("codes", "terms", field="codes", size=CODES_SIZE)


def families_agg(s_aggs, query):
    """Add a filters aggregation counting, per family of codes, the answers with any of them (each once)."""
    if query.families:
        s_aggs.bucket("families", "filters", filters={name: Q("terms", codes=list(members)).to_dict()
                                                      for name, members in query.families})


def rolled_up(buckets, families):
    """{code: answers} from a codes terms aggregation, each family's count in place of its head's; most first."""
    counts = {b["key"]: b["doc_count"] for b in buckets} | {k: b["doc_count"] for k, b in families.items()
                                                             # as the embedded engine: no empty ones
                                                             if b["doc_count"]}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def group_field(group):
    """The indexed field a crosstab groups by."""
    return "is_spam" if group == "spam" else f"answers.{group}"


def sample_body(matching):
    """The essays of the newest matches the distinctive terms read (as the embedded engine reads them)."""
    return matching.sort({"submitted_at": "desc"}).extra(size=distinctive.SAMPLE, _source=["essay"]).to_dict()


def background_body(terms, survey):
    """How many answers (of the survey) hold each word or adjacent pair as typed, and how many there are."""
    s = Search().extra(size=0, track_total_hits=True)
    s = s.filter("term", survey=survey) if survey else s
    s.aggs.bucket("terms", "filters", filters={
        term: Q("match_phrase" if " " in term else "term", **{"essay.plain": term}).to_dict() for term in terms})
    return s.to_dict()


def similar_body(doc_id, n):
    """more_like_this the answer's essay, without the answer itself, meaning what the embedded engine
    means: any one of its most distinctive words that another answer also holds (min_doc_freq 2;
    at 1, tf-idf picks the words only this answer has, and the default 30% of them matches nothing)."""
    mlt = Q("more_like_this", fields=["essay"], like=[{"_id": doc_id}], min_term_freq=1, min_doc_freq=2,
            max_query_terms=distinctive.SIMILAR_TERMS, minimum_should_match=1, min_word_length=2,
            stop_words=sorted(distinctive.IGNORED))  # as the embedded engine: "my", "then" lead nowhere
    return Search().query(mlt).extra(size=n).to_dict()


def holds_vectors(client, alias):
    """Whether the index was made able to hold vectors (`index.knn`: only a new index can be)."""
    found = client.indices.get_settings(index=alias, name="index.knn")
    return next(iter(found.values()), {}).get("settings", {}).get("index", {}).get("knn") == "true"


def nearest_body(vector, n, exclude=(), query=None):
    """A k-NN query for the n answers nearest vector among query's matches (the filter runs inside the
    graph search, so n come back whenever n match); Lucene's cosine score is already (1 + cosine) / 2."""
    knn = {"vector": [float(x) for x in vector], "k": n}
    within = matching(query).to_dict().get("query", {"match_all": {}}) if query else {"match_all": {}}
    if exclude:
        within = {"bool": {"filter": [within], "must_not": [{"ids": {"values": list(exclude)}}]}}
    knn["filter"] = within
    return {"size": n, "query": {"knn": {VECTOR_FIELD: knn}}}


def _key(bucket):
    return bucket.get("key_as_string", bucket["key"])


class OpenSearchAnalysis:
    """Mixed into OpenSearchEngine, which provides _search and _matching_search."""

    def ids(self, query):
        """The id of every match."""
        return (doc.meta.id for doc in self.scan(query))

    def count_where(self, query, tree):
        """How many matches a show_if condition (a parsed tree) holds for."""
        s = self._matching_search(query).filter(condition_filters.dsl(tree)).extra(size=0, track_total_hits=True)
        raw = self._search(s.to_dict())
        return raw["hits"]["total"]["value"] if raw else 0

    def code_counts(self, query):
        """{code name: matching answers with it}, most used first."""
        s = self._matching_search(query).extra(size=0)
        codes_agg(s.aggs)
        families_agg(s.aggs, query)
        aggs = (self._search(s.to_dict()) or {}).get("aggregations")
        return rolled_up(aggs["codes"]["buckets"], aggs.get("families", {}).get("buckets", {})) if aggs else {}

    def code_pairs(self, query):
        """{(code, code): matching answers carrying both} (the diagonal: answers with the code). A composite
        aggregation over the codes twice gives each answer's pairs, paged: any codebook size stays under the
        domain's bucket limit (a terms-in-terms table failed at about 256 codes)."""
        found = {}
        after = None
        while True:
            s = self._matching_search(query).extra(size=0)
            s.aggs.bucket("pairs", "composite", size=PAIRS_PAGE, **({"after": after} if after else {}),
                          sources=[{"a": {"terms": {"field": "codes"}}}, {"b": {"terms": {"field": "codes"}}}])
            raw = self._search(s.to_dict())
            pairs = raw["aggregations"]["pairs"] if raw else {"buckets": []}
            found.update({(b["key"]["a"], b["key"]["b"]): b["doc_count"] for b in pairs["buckets"]})
            after = pairs.get("after_key")
            if len(pairs["buckets"]) < PAIRS_PAGE or not after:
                return found

    def code_days(self, query):
        """[(day, code name, matching answers with it that day)]."""
        s = self._matching_search(query).extra(size=0)
        codes_agg(s.aggs.bucket("days", "date_histogram", field="submitted_at", calendar_interval="day",
                                format="yyyy-MM-dd", min_doc_count=1))
        raw = self._search(s.to_dict())
        days = raw["aggregations"]["days"]["buckets"] if raw else []
        return [(day["key_as_string"], b["key"], b["doc_count"]) for day in days for b in day["codes"]["buckets"]]

    def crosstab(self, query, group):
        """Matching answers per value of `group` (a field id or 'spam'), and per code within each."""
        s = self._matching_search(query).extra(size=0)
        groups = s.aggs.bucket("groups", "terms", field=group_field(group), size=GROUPS_SIZE)
        codes_agg(groups)
        families_agg(groups, query)
        raw = self._search(s.to_dict())
        buckets = raw["aggregations"]["groups"]["buckets"] if raw else []
        cells = [(_key(b), name, n) for b in buckets
                 for name, n in rolled_up(b["codes"]["buckets"], b.get("families", {}).get("buckets", {})).items()]
        return Crosstab.of(group, [(_key(b), b["doc_count"]) for b in buckets], cells)

    def distinctive_terms(self, query, n=20):
        """Words and phrases over-represented in the newest matches: [Distinctive]. Counted here, as the
        embedded engine counts them, with each candidate's background from the index in one request."""
        if query.selects_all:
            return []
        sample = self._search(sample_body(self._matching_search(query)))
        if sample is None:
            return []
        size, counts = distinctive.sample_counts(hit["_source"].get("essay") for hit in sample["hits"]["hits"])
        words, pairs = distinctive.candidates(counts)
        raw = self._search(background_body(words + pairs, query.survey)) if words or pairs else None
        if raw is None:
            return []
        background = {term: bucket["doc_count"] for term, bucket in raw["aggregations"]["terms"]["buckets"].items()}
        return distinctive.scored(size, counts, words + pairs, background, raw["hits"]["total"]["value"], n)

    def nearest(self, vector, n=10, exclude=(), query=None):
        """[(doc, similarity)] closest in meaning: the k-NN plugin's HNSW graph over `essay_vector`."""
        try:
            raw = self._search(nearest_body(vector, n, exclude, query))
        except es_client.DomainUnavailable as exc:
            # the index has no essay_vector: made before vectors
            if es_client.status_of(exc.__cause__) == 400:
                raise UserError(NO_VECTORS, 409) from exc
            raise
        hits = raw["hits"]["hits"] if raw else []
        # Where another index maps the field, the k-NN plugin finds nothing instead of refusing: ask the index.
        if raw and not hits and not holds_vectors(self._client(), self.alias):
            raise UserError(NO_VECTORS, 409)
        return [(SurveyResponse.from_source(hit["_id"], hit["_source"]), hit["_score"]) for hit in hits]

    def vectors(self, query, limit):
        """(ids, matrix) of the newest `limit` answers the query selects whose vectors the index holds."""
        body = matching(query).sort({"submitted_at": "desc"}).extra(size=limit, _source=[VECTOR_FIELD]).to_dict()
        raw = es_client.run_search(self._client(), self.alias, body, vectors=True)
        hits = [hit for hit in (raw["hits"]["hits"] if raw else []) if VECTOR_FIELD in hit["_source"]]
        matrix = np.array([hit["_source"][VECTOR_FIELD] for hit in hits], dtype=np.float32).reshape(len(hits), -1)
        return [hit["_id"] for hit in hits], matrix

    def similar(self, doc_id, n=10):
        """The answers most like this one (more_like_this on the essay), in one request."""
        raw = self._search(similar_body(doc_id, n))
        return [SurveyResponse.from_source(hit["_id"], hit["_source"]) for hit in raw["hits"]["hits"]] if raw else []
