"""Every answer's vector in one memory-mapped file per instance, shared by its workers through the page cache.

Row r of `DATA_DIR/meaning/vectors.f32` is answer_vectors' row r (its rowid): a new answer's vector is
appended, an edited one rewritten in place, an erased one zeroed. The journal's `vector_changes` table
(filled by triggers) lists the rows the file has not taken yet; whichever worker looks next takes them,
under the file's own lock, so no worker reads every vector from SQLite again. A missing file is rebuilt.
"""
import os
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from collector import journal
from collector.common import lifecycle
from collector.journal import writes
from collector.meaning.embedder import DIMENSIONS

ROW_BYTES = DIMENSIONS * 4
_mapped = {}  # path -> ((inode, size), the file's rows as a read-only memmap)


def init_app(app):
    """Embedded mode: an erasure zeroes its vectors' rows in the file at once (a lifecycle duty)."""
    folder = folder_of(app.config)
    lifecycle.register(app, "meaning matrix", lambda answer_ids, emails: forget(journal.get_db(), folder), here=True)


def folder_of(config):
    """Where this instance keeps its matrix file."""
    return Path(config["DATA_DIR"]) / "meaning"


def rows(db, folder):
    """The file's rows, up to date with the journal: an (n, 384) read-only array (row 0 and erased rows zero)."""
    path = Path(folder) / "vectors.f32"
    if not path.exists() or db.execute("SELECT 1 FROM vector_changes LIMIT 1").fetchone():
        with _locked(folder):
            _take_changes(db, path)
    return _map(path)


def forget(db, folder):
    """Zero the rows of vectors the journal dropped (an erasure's), at once rather than at the next search."""
    if (Path(folder) / "vectors.f32").exists():
        rows(db, folder)


@contextmanager
def _locked(folder):
    Path(folder).mkdir(parents=True, exist_ok=True)
    with writes.lock_for(str(Path(folder) / "vectors")).held():
        yield


def _take_changes(db, path):
    """Write the changed rows (all of them into a new file when it is missing), then drop those changes."""
    fresh = not path.exists()
    if fresh:  # from now on the journal notes each change for the file, before the rows are read
        writes.in_transaction(db, "INSERT OR IGNORE INTO vector_matrix (id) VALUES (?)", [(1,)])
    last, found = _changed_rows(db, fresh)
    _write(path, found)
    writes.in_transaction(db, "DELETE FROM vector_changes WHERE seq <= ?", [(last,)])


def _changed_rows(db, everything):
    """(the last change taken, [(row, vector bytes or None when gone)]), read as of one moment."""
    db.execute("BEGIN")
    try:
        last = db.execute("SELECT coalesce(max(seq), 0) FROM vector_changes").fetchone()[0]
        if everything:
            return last, db.execute("SELECT rowid, vector FROM answer_vectors").fetchall()
        changed = "SELECT DISTINCT row FROM vector_changes WHERE seq <= ?"
        return last, db.execute(f"SELECT c.row, v.vector FROM ({changed}) c LEFT JOIN answer_vectors v "
                                "ON v.rowid = c.row", (last,)).fetchall()
    finally:
        db.execute("COMMIT")


def _write(path, found):
    """Put each (row, vector or None) at its place in the file, then sync it (a fresh file atomically)."""
    fresh = not path.exists()
    target = path.with_suffix(".new") if fresh else path
    with open(target, "wb" if fresh else "r+b") as out:
        for row, blob in sorted(found, key=lambda pair: pair[0]):
            out.seek(row * ROW_BYTES)
            out.write(blob if blob is not None else bytes(ROW_BYTES))
        os.fsync(out.fileno())
    if fresh:
        os.replace(target, path)


def _map(path):
    status = path.stat()
    seen = (status.st_ino, status.st_size)
    known = _mapped.get(path)
    if known is None or known[0] != seen:  # grown or made anew: map it again; rewrites in place show through
        found = np.memmap(path, dtype=np.float32, mode="r") if status.st_size else np.zeros(0, dtype=np.float32)
        known = _mapped[path] = (seen, found.reshape(-1, DIMENSIONS))
    return known[1]
