"""The journal's answer_vectors table: each answer's meaning, which answers still need one, and nearest
neighbours.

A vector is 384 float32 values stored as bytes. An erased answer's vector goes with it (journal/wipe.py).
Nearest neighbours here are exact: cosine over every vector, as one matrix product over the instance's
memory-mapped matrix (matrix.py), which its workers share.
"""
import numpy as np

from collector.journal.writes import in_transaction, transaction
from collector.meaning import matrix
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
        # An update in place, not a REPLACE: the row keeps its place in the matrix file, which rewrites it.
        db.executemany("INSERT INTO answer_vectors (response_id, vector) SELECT ?1, ?2 WHERE EXISTS "
                       "(SELECT 1 FROM responses WHERE id = ?1) ON CONFLICT (response_id) DO UPDATE "
                       "SET vector = excluded.vector, shipped = 0", rows)


def of(db, doc_id):
    """An answer's vector, or None while it has none."""
    row = db.execute("SELECT vector FROM answer_vectors WHERE response_id = ?", (doc_id,)).fetchone()
    return None if row is None else np.frombuffer(row[0], dtype=np.float32)


def matrix_of(db, folder, among=None, limit=-1):
    """(ids, (n, 384) matrix) of the answers with a vector, newest first; among=(FROM source, WHERE clause,
    params), a search's selection of answers (as `r`), limits them to its matches; at most limit of them.
    The vectors come from the instance's shared matrix file (matrix.py), not from each row's blob."""
    shared = matrix.rows(db, folder)
    source, clause, params = among or ("responses r", "", [])
    found = db.execute(f"SELECT v.response_id, v.rowid FROM answer_vectors v JOIN (SELECT r.id, r.seq FROM {source}"
                       f"{clause}) m ON m.id = v.response_id ORDER BY m.seq DESC LIMIT ?", [*params, limit]).fetchall()
    # one embedded since the file was read
    kept = [(doc_id, row) for doc_id, row in found if row < len(shared)]
    return [doc_id for doc_id, _ in kept], np.array(shared[[row for _, row in kept]]).reshape(-1, DIMENSIONS)


def nearest(db, folder, vector, n, exclude=(), among=None):
    """[(id, cosine)] of the n answers whose meaning is closest to vector, closest first (among: as
    matrix_of). One product over the whole shared matrix; only the matches' row numbers and the winners' ids
    are read."""
    scores = matrix.rows(db, folder) @ np.asarray(vector, dtype=np.float32)
    if among is not None:
        source, clause, params = among
        rows = np.fromiter((row for (row,) in db.execute(
            f"SELECT v.rowid FROM answer_vectors v JOIN (SELECT r.id FROM {source}{clause}) m ON m.id = v.response_id",
            params)), dtype=np.int64)
        kept = np.full(len(scores), -np.inf, dtype=np.float32)
        rows = rows[rows < len(scores)]  # one embedded since the file was read
        kept[rows] = scores[rows]
        scores = kept
    available = int(np.isfinite(scores).sum())
    take = n + len(exclude)
    while True:
        found = _best(db, scores, min(take, available), exclude)
        if len(found) >= n or take >= available:
            return found[:n]
        take *= 4  # erased rows (zeros) took places: look further


def _best(db, scores, take, exclude):
    """[(id, cosine)] of the `take` best rows that still hold an answer's vector, best first."""
    if take <= 0:
        return []
    top = np.argpartition(-scores, take - 1)[:take]
    top = top[np.lexsort((top, -scores[top]))]
    marks = ", ".join("?" * len(top))
    ids = dict(db.execute(f"SELECT rowid, response_id FROM answer_vectors WHERE rowid IN ({marks})", top.tolist()))
    return [(ids[row], float(scores[row])) for row in top.tolist()
            if row in ids and ids[row] not in exclude and scores[row] > -np.inf]


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
