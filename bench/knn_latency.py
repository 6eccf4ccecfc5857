"""Issue 42 #5: k-NN query latency at 100,000 answers on one real OpenSearch 2.19 node (k-NN plugin, Lucene HNSW).

100,000 documents in the answers' own mapping (`index_body(..., vectors=True)`), each with a unit
vector: 2,000 real embeddings of bench/paraphrases.py's answers and of corpus essays, the rest
those vectors with noise (so neighbourhoods are as dense as real answers make them). Then 300 queries
(the app's own nearest_body: top 20, then top 20 among non-spam answers of one survey), after 30 to
warm up; p50/p95/p99 of the node's `took` and of the round trip, before and after a force-merge to
one segment (a new domain holds many segments; an old one, fewer).
Run: python -m bench.knn_latency   (needs `make model` and Java)
"""
import json
import time

import numpy as np
from opensearchpy import OpenSearch, helpers

from bench import paraphrases
from collector.meaning import embedder
from collector.search.opensearch_analysis import nearest_body
from collector.search.query import Query
from models import VECTOR_FIELD, index_body
from opensearch.node import Node

DOCS = 100_000
REAL = 2_000
QUERIES = 300
WARM = 30


def vectors(rnd):
    """(DOCS, 384) unit vectors: real embeddings, then noisy copies of them."""
    texts = [text for text, _ in paraphrases.answers()] * 2
    real = embedder.Embedder("embedding-model").embed(texts[:REAL])
    copies = real[rnd.integers(0, REAL, DOCS - REAL)] + rnd.normal(0, 0.03, (DOCS - REAL, real.shape[1]))
    matrix = np.vstack([real, copies]).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def load(client, matrix, rnd):
    """Index the documents (bulk, refreshed once at the end)."""
    client.indices.create(index="answers", body={**index_body({"essay": "text"}, vectors=True)})
    actions = ({"_index": "answers", "_id": str(i), "_source": {
        "essay": f"answer {i}", "survey": "staff" if i % 2 else "patients", "is_spam": bool(rnd.random() < 0.1),
        "submitted_at": "2026-12-01T00:00:00+00:00", VECTOR_FIELD: row.tolist()}} for i, row in enumerate(matrix))
    started = time.perf_counter()
    helpers.bulk(client, actions, chunk_size=500, request_timeout=300)
    client.indices.refresh(index="answers")
    return round(time.perf_counter() - started, 1)


def timed(client, matrix, rnd, filtered):
    """{p50, p95, p99} of took and round trip over QUERIES queries (after WARM)."""
    query = Query(survey="staff", spam="exclude") if filtered else None
    took, trip = [], []
    for n in range(WARM + QUERIES):
        body = nearest_body(matrix[rnd.integers(0, len(matrix))], 20, (), query)
        started = time.perf_counter()
        raw = client.search(index="answers", body=body, _source_excludes=VECTOR_FIELD)
        if n >= WARM:
            trip.append((time.perf_counter() - started) * 1000)
            took.append(raw["took"])
    return {name: {f"p{q}": round(float(np.percentile(values, q)), 1) for q in (50, 95, 99)}
            for name, values in (("took_ms", took), ("round_trip_ms", trip))}


def main():
    """Print the figures as JSON."""
    rnd = np.random.default_rng(7)
    node = Node(heap="2g").start(timeout=300)
    try:
        client = OpenSearch(node.url, timeout=300)
        figures = {"documents": DOCS, "load_seconds": load(client, vectors(rnd), rnd)}
        matrix = vectors(np.random.default_rng(8))
        for phase in ("as loaded", "one segment"):
            if phase == "one segment":
                client.indices.forcemerge(index="answers", max_num_segments=1, request_timeout=1800)
            figures[phase] = {"top 20": timed(client, matrix, rnd, False),
                              "top 20, filtered": timed(client, matrix, rnd, True),
                              "segments": len(client.cat.segments(index="answers", format="json"))}
        print(json.dumps(figures, indent=2))
    finally:
        node.stop()


if __name__ == "__main__":
    main()
