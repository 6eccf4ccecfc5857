"""Writing the journal: one lock per journal across threads and workers, and group commit.

SQLite's busy handler makes a writer that finds the journal locked sleep (1 ms, then up to
100 ms) and try again; under load that sleep, not the work, was most of a submit's wall time.
Writers here wait in a lock instead and wake the moment it is free. Answers go through one
writer thread per process: whatever arrived while the last commit ran is written in the next
transaction, one fsync for all of them, and each caller returns only after that commit.
"""
import fcntl
import os
import queue
import threading
from contextlib import contextmanager

BATCH_MAX = 64
_locks = {}
_locks_guard = threading.Lock()


class WriteLock:
    """Excludes other writers of one journal: threads by a mutex, processes by flock."""

    def __init__(self, path):
        self.path = path + ".lock"
        self.mutex = threading.Lock()
        self.fd = None
        self.pid = None

    @contextmanager
    def held(self):
        """Hold the journal's write lock (blocking, no polling) for the block."""
        with self.mutex:
            if self.pid != os.getpid():  # a forked worker needs its own open file for flock
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self.pid = os.getpid()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)


    def close(self):
        """Close this process's lock file (it reopens on the next write)."""
        with self.mutex:
            if self.pid == os.getpid():
                os.close(self.fd)
            self.fd = None
            self.pid = None


def lock_for(path):
    """The process-wide WriteLock of the journal at `path`."""
    with _locks_guard:
        return _locks.setdefault(str(path), WriteLock(str(path)))


def _forget_locks():
    # A fork copies locks in whatever state another thread held them: the child starts afresh.
    global _locks_guard
    _locks.clear()
    _locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_forget_locks)


class _Job:
    def __init__(self, work):
        self.work = work
        self.done = threading.Event()
        self.result = None
        self.error = None


class GroupCommit:
    """One writer thread per process; `run(work)` returns work(db)'s result once it is durable."""

    def __init__(self, path, connect):
        self.path = path
        self.connect = connect
        self.lock = lock_for(path)
        self.jobs = queue.SimpleQueue()
        self.pid = None
        self.db = None
        self.idle = threading.Lock()

    def run(self, work):
        """Run work(db) inside the next shared transaction; raise what it (or the commit) raised."""
        if self.pid != os.getpid():  # a forked child: nothing of the parent's writer is usable
            self.pid = os.getpid()
            self.jobs = queue.SimpleQueue()
            self.idle = threading.Lock()
            self.db = None
            self.lock = lock_for(self.path)
            threading.Thread(target=self._serve, args=(self.jobs,), name="journal-writer", daemon=True).start()
        job = _Job(work)
        self.jobs.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def close(self):
        """Close the writer's connection and lock file (both reopen on the next write)."""
        with self.idle:
            if self.db is not None:
                self.db.close()
                self.db = None
            self.lock.close()

    def _serve(self, jobs):
        while True:
            batch = [jobs.get()]
            while len(batch) < BATCH_MAX and not jobs.empty():
                batch.append(jobs.get())
            with self.idle:
                self._commit(batch)
            for job in batch:
                job.done.set()

    def _commit(self, batch):
        """Every job in its own savepoint (one failing leaves the others), then one COMMIT."""
        try:
            self.db = self.db or self.connect(self.path)
            with self.lock.held():
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    for job in batch:
                        _attempt(self.db, job)
                    self.db.execute("COMMIT")
                finally:
                    if self.db.in_transaction:
                        self.db.execute("ROLLBACK")
        except Exception as error:  # the commit failed: nothing in this batch is stored
            self.close_broken()
            for job in batch:
                job.error, job.result = job.error or error, None

    def close_broken(self):
        """After a failed commit, start again from a new connection (a full disk may have freed up)."""
        try:
            if self.db is not None:
                self.db.close()
        except Exception:  # noqa: BLE001 - it is being thrown away
            pass
        self.db = None


def _attempt(db, job):
    db.execute("SAVEPOINT job")
    try:
        job.result = job.work(db)
        db.execute("RELEASE job")
    except Exception as error:
        db.execute("ROLLBACK TO job")
        db.execute("RELEASE job")
        job.error = error


def _path_of(db):
    return db.execute("PRAGMA database_list").fetchone()[2]


def write(db, sql, params=()):
    """One writing statement (its own transaction) under the write lock, unless the caller's
    transaction already holds it; the rows it returns. Every journal write goes through here,
    transaction() or the group writer: none waits in SQLite's sleeping busy handler."""
    if db.in_transaction:
        return db.execute(sql, params).fetchall()
    with lock_for(_path_of(db)).held():
        return db.execute(sql, params).fetchall()


@contextmanager
def transaction(db):
    """BEGIN IMMEDIATE ... COMMIT (one fsync) under the journal's write lock; rolled back on failure."""
    with lock_for(_path_of(db)).held():
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def in_transaction(db, sql, rows):
    """Run one statement over many rows in a single transaction (one fsync)."""
    with transaction(db):
        db.executemany(sql, rows)
