"""Issue 42 #2: "by meaning" on a laptop at 100,000 answers: exact cosine over the shared, memory-mapped
matrix file (collector/meaning/matrix.py), against reading every vector's bytes from SQLite per query
(what the first version did).

The answers: bench/inprocess.py's 100k corpus; their vectors: real embeddings with noise (as
bench/knn_latency.py makes them), written straight into the journal. Timed: building the file from
nothing, taking 64 new vectors into it, and 100 queries each way, unfiltered (top 20 of all) and
filtered (top 20 of one role's non-spam answers).
Run: python -m bench.nearest_embedded   (needs `make model`)
"""
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import inprocess, knn_latency
from collector import journal
from collector.journal import writes
from collector.meaning import matrix, vectors
from collector.search import engines
from collector.search.query import Query
from collector.search.selection import for_journal

QUERIES = 100


def with_vectors(app, rnd):
    """Give every answer a vector; ids in the journal's order."""
    db = journal.connect(app.config["JOURNAL_PATH"])
    ids = [row[0] for row in db.execute("SELECT id FROM responses ORDER BY seq")]
    found = knn_latency.vectors(rnd)[: len(ids)]
    writes.in_transaction(db, "INSERT OR IGNORE INTO answer_vectors (response_id, vector) VALUES (?, ?)",
                          [(doc_id, row.tobytes()) for doc_id, row in zip(ids, found)])
    return ids, found


def blob_nearest(db, vector, n, among):
    """The first version: every matching vector's bytes read from SQLite, then one matrix product."""
    source, clause, params = among
    rows = db.execute(f"SELECT v.response_id, v.vector FROM answer_vectors v JOIN (SELECT r.id FROM {source}{clause}) m "
                      "ON m.id = v.response_id", params).fetchall()
    found = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), -1)
    return [rows[i][0] for i in np.argsort(-(found @ vector))[:n]]


def timed(work, vectors_):
    """[p50, p95] milliseconds of work(vector) over the vectors."""
    took = []
    for vector in vectors_:
        started = time.perf_counter()
        work(vector)
        took.append((time.perf_counter() - started) * 1000)
    return [round(float(np.percentile(took, p)), 1) for p in (50, 95)]


def main():
    """Print the figures as JSON."""
    rnd = np.random.default_rng(5)
    app = inprocess.corpus_app(Path(tempfile.mkdtemp()) / "nearest")
    ids, found = with_vectors(app, rnd)
    probes = found[rnd.integers(0, len(found), QUERIES)]
    figures = {"answers": len(ids)}
    with app.test_request_context():
        db = journal.get_db()
        folder = matrix.folder_of(app.config)
        started = time.perf_counter()
        matrix.rows(db, folder)
        figures["file_built_s"] = round(time.perf_counter() - started, 2)
        vectors.save(db, ids[:64], found[64:128])
        started = time.perf_counter()
        matrix.rows(db, folder)
        figures["64_changes_taken_ms"] = round((time.perf_counter() - started) * 1000, 1)
        one_role = Query(answer_filters=(("role", "Engineer"),), spam="false")
        for name, query in (("unfiltered", Query()), ("filtered", one_role)):
            among = for_journal(db, query).sql()
            figures[name] = {"matrix_p50_p95_ms": timed(lambda v: engines.current().nearest(v, 20, (), query), probes),
                             "sqlite_blobs_p50_p95_ms": timed(lambda v: blob_nearest(db, v, 20, among), probes)}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
