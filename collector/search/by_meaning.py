"""Search by meaning, the same for both engines: the answers nearest in meaning to the words (mode=meaning),
or that ranking fused with the word search's (mode=hybrid). Every filter still applies.

A search by meaning ranks the WINDOW answers closest to the words' meaning among those the filters
select (any answer is near in some degree, so it ranks rather than matches: the total is how many
it ranked). Hybrid fuses the word search's first WINDOW and those by reciprocal rank fusion: each
answer scores the sum of 1 / (FUSION_K + its rank) over the rankings that hold it.
"""
from dataclasses import replace

from collector import meaning
from collector.search.results import Hit, Page
from collector.search.snippets import opening

WINDOW = 200  # answers ranked by meaning: ten pages of twenty
FUSION_K = 60  # Cormack, Clarke and Büttcher (2009): a constant that keeps one ranking's top from ruling


def search(engine, query):
    """One Page of the query's answers ranked by meaning, or by meaning and words fused."""
    filters = replace(query, q="", within=None, mode="words")
    near = engine.nearest(meaning.embed_text(query.q), WINDOW, query=filters)
    by_meaning = [Hit(doc, opening(doc.essay), None, similarity) for doc, similarity in near]
    if query.mode == "meaning":
        ranked = by_meaning
    else:
        words = engine.search(replace(query, mode="words", page=1, per_page=WINDOW)).hits
        ranked = fused(words, by_meaning)
    return Page(query, len(ranked), ranked[query.offset:query.offset + query.per_page])


def counted(query):
    """The query whose answers a dashboard counts and an export writes: by meaning, the answers it ranks among
    (every filter, no words); by words, the query itself."""
    return query if query.mode == "words" else replace(query, q="", within=None, mode="words")


def fused(word_hits, meaning_hits):
    """The hits of both rankings, by reciprocal rank fusion; a word hit keeps its highlight and gains its similarity."""
    scores = {}
    hits = {}
    for ranking in (word_hits, meaning_hits):
        for rank, hit in enumerate(ranking, 1):
            doc_id = hit.doc.meta.id
            scores[doc_id] = scores.get(doc_id, 0.0) + 1 / (FUSION_K + rank)
            known = hits.get(doc_id)
            hits[doc_id] = replace(known, similarity=hit.similarity) if known and hit.similarity is not None \
                else known or hit
    return [hits[doc_id] for doc_id in sorted(scores, key=lambda doc_id: -scores[doc_id])]
