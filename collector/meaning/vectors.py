"""The journal's answer_vectors table: each answer's meaning, which answers still need one, and nearest neighbours.

A vector is 384 float32 values stored as bytes. An erased answer's vector goes with it (journal/wipe.py).
Nearest neighbours here are exact: cosine over every vector, as one matrix product.
"""
import numpy as np

from collector.journal.writes import in_transaction, transaction
from collector.meaning.embedder import DIMENSIONS

TEXT_MAX = 4000  # characters of an answer the model reads (it stops at 256 word pieces anyway)


def pending(db, limit):
    """[(id, essay)] of answers without a vector, oldest first."""
    rows = db.execute("SELECT r.id, substr(r.essay, 1, ?) FROM responses r LEFT JOIN answer_vectors v "
                      "ON v.response_id = r.id WHERE v.response_id IS NULL ORDER BY r.seq LIMIT ?", (TEXT_MAX, limit))
    return rows.fetchall()


def save(db, ids, matrix):
    """Keep each id's row of matrix (an answer erased meanwhile gets none)."""
    rows = [(doc_id, np.asarray(vector, dtype=np.float32).tobytes()) for doc_id, vector in zip(ids, matrix)]
    with transaction(db):
        db.executemany("INSERT OR REPLACE INTO answer_vectors (response_id, vector) "
                       "SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM responses WHERE id = ?1)", rows)


def of(db, doc_id):
    """An answer's vector, or None while it has none."""
    row = db.execute("SELECT vector FROM answer_vectors WHERE response_id = ?", (doc_id,)).fetchone()
    return None if row is None else np.frombuffer(row[0], dtype=np.float32)


def matrix_of(db, among=None, limit=-1):
    """(ids, (n, 384) matrix) of the answers with a vector, newest first; among=(FROM source, WHERE clause,
    params), a search's selection of answers (as `r`), limits them to its matches; at most limit of them."""
    source, clause, params = among or ("responses r", "", [])
    rows = db.execute(f"SELECT v.response_id, v.vector FROM answer_vectors v JOIN (SELECT r.id, r.seq FROM {source}"
                      f"{clause}) m ON m.id = v.response_id ORDER BY m.seq DESC LIMIT ?", [*params, limit]).fetchall()
    matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
    return [row[0] for row in rows], matrix


def nearest(db, vector, n, exclude=(), among=None):
    """[(id, cosine)] of the n answers whose meaning is closest to vector, closest first (among: as matrix_of)."""
    ids, matrix = matrix_of(db, among)
    scores = matrix @ np.asarray(vector, dtype=np.float32)
    best = [i for i in np.argsort(-scores, kind="stable") if ids[i] not in exclude][:n]
    return [(ids[i], float(scores[i])) for i in best]


def unshipped(db, limit):
    """[(id, vector)] the search index does not have yet, of answers it already holds."""
    rows = db.execute("SELECT v.response_id, v.vector FROM answer_vectors v JOIN responses r ON r.id = v.response_id "
                      "WHERE v.shipped = 0 AND r.state = 'shipped' LIMIT ?", (limit,)).fetchall()
    return [(doc_id, np.frombuffer(blob, dtype=np.float32)) for doc_id, blob in rows]


def mark_shipped(db, sent):
    """The index holds these [(id, vector)]: each marked only while it is still the answer's vector (an edit
    since gave it a new one, which must be sent too)."""
    in_transaction(db, "UPDATE answer_vectors SET shipped = 1 WHERE response_id = ? AND vector = ?",
                   [(doc_id, np.asarray(vector, dtype=np.float32).tobytes()) for doc_id, vector in sent])
