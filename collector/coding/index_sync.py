"""A fleet's index learns answers' codes from code_changes, as partial updates by _id.

An update never creates a document, so a late one cannot bring back an erased answer. It carries
the answer's whole current list of codes, read when it is sent: sending it twice changes
nothing, and a queue row is only removed if no newer change arrived while it was on its way.

Pushers race (request threads, every worker's shipper): each reads the document's seq_no
before it reads the codes, and updates only that version (if_seq_no). A pusher whose codes were
read before another's update landed gets 409 and tries again later, reading afresh, so an older
list can never overwrite a newer one.
"""
import logging
import random

from flask import current_app, g

import es_client
from collector.common import clock
from collector.common.slots import Slot
from collector.journal import get_db
from collector.journal.writes import in_transaction
from collector.search import engines

INDEX_SYNC = Slot("index_sync")
CODES_FOR = Slot("codes_for")  # {answer id: codes} for ids, from the coding store

log = logging.getLogger("shipper")
GIVE_UP = 40  # attempts at an answer no index holds (erased or lost on another instance)


def _due(db, limit, now):
    return db.execute("SELECT response_id, version, attempts FROM code_changes WHERE next_attempt <= ? "
                      "ORDER BY next_attempt LIMIT ?", (now, limit)).fetchall()


def waiting(db):
    """How many answers' codes the index has yet to learn."""
    return db.execute("SELECT count(*) FROM code_changes").fetchone()[0]


# The answer is not indexed yet (pending here or on another instance), the index lacks the codes
# field until the shipper adds it, the index is write-blocked (a reindex), or the domain is busy:
# try again later.
LATER = {"document_missing_exception", "index_not_found_exception", "strict_dynamic_mapping_exception",
         "cluster_block_exception", "version_conflict_engine_exception"}


def _fate(status, error, attempts):
    if status in (200, 201):
        return "done"
    later = status == 429 or status >= 500 or (error or {}).get("type") in LATER
    return "later" if later and attempts < GIVE_UP else "dropped"


def push(app, db, limit=1000):
    """Send one batch of due code changes; returns how many the index took. Raises DomainUnavailable."""
    now = clock.now()
    rows = _due(db, limit, now)
    if not rows:
        return 0
    client = es_client.get_client(app)
    alias = app.config["SEARCH_INDEX"]
    ids = [r["response_id"] for r in rows]
    seen = es_client.versions(client, alias, ids)  # before the codes are read: see the module's docstring
    codes = CODES_FOR.of(app)(ids)
    body = b"".join(es_client.update_lines(i, {"codes": codes.get(i, [])}, seen.get(i)) for i in ids)
    try:
        items = es_client.send_bulk(client, alias, body)
    except es_client.TransportError as exc:
        raise es_client.unavailable(exc) from exc
    done = []
    later = []
    for row, (status, error) in zip(rows, items):
        fate = _fate(status, error, row["attempts"])
        if fate == "later":
            wait = random.uniform(0.5, 1.0) * min(300.0, 2.0 ** row["attempts"])
            later.append((now + wait, row["response_id"], row["version"]))
            continue
        done.append((row["response_id"], row["version"]))
        if fate == "dropped":
            log.warning("code update dropped", extra={"event": "codes", "status": status, "error": str(error)[:200]})
    in_transaction(db, "DELETE FROM code_changes WHERE response_id = ? AND version = ?", done)
    in_transaction(db, "UPDATE code_changes SET attempts = attempts + 1, next_attempt = ? "
                       "WHERE response_id = ? AND version = ?", later)
    return len(done)


REQUEUE = ("INSERT INTO code_changes (response_id) VALUES (?) ON CONFLICT (response_id) "
           "DO UPDATE SET version = version + 1, attempts = 0, next_attempt = 0")


def make_due(db, response_ids=None):
    """Send these answers' queued codes (all, if None) at the next push: their documents just
    arrived in the index, or the index just gained the codes field."""
    if not waiting(db):
        return
    if response_ids is None:
        in_transaction(db, "UPDATE code_changes SET next_attempt = 0", [()])
        return
    in_transaction(db, "UPDATE code_changes SET next_attempt = 0 WHERE response_id = ?", [(i,) for i in response_ids])


def after_shipping(app, db, shipped, sent_codes):
    """Answers just indexed whole: send their queued codes now, and queue those whose codes changed
    after the shipper read them (a push may have landed first, then been overwritten). When the codes
    cannot be read again (the domain flickered), every one of them is pushed again later."""
    make_due(db, shipped)
    try:
        now = CODES_FOR.of(app)(shipped)
    except es_client.DomainUnavailable:
        now = None
    if stale := [(i,) for i in shipped if now is None or now.get(i, []) != sent_codes.get(i, [])]:
        in_transaction(db, REQUEUE, stale)


QUEUE = ("INSERT INTO code_changes (response_id) SELECT DISTINCT c.response_id FROM codings c WHERE {where} "
         "ON CONFLICT (response_id) DO UPDATE SET version = version + 1, attempts = 0, next_attempt = 0")


class Queued:
    """A fleet's index learns codings from the code_changes queue: at once after a change, else from the shipper."""

    def queue_where(self, db, where, params):
        """Queue the answers whose codings (c) match `where`."""
        db.execute(QUEUE.format(where=where), params)
        g.codes_queued = True

    def queue_ids(self, db, response_ids):
        """Queue these answers (their codings changed in the coding store)."""
        if response_ids:
            in_transaction(db, REQUEUE, [(i,) for i in response_ids])
            g.codes_queued = True

    def push_now(self):
        """Send what is queued and make it searchable; if the domain is down the queue keeps it for the shipper."""
        g.pop("codes_queued", None)
        db = get_db()
        try:
            while waiting(db) and push(current_app, db):
                pass
            engines.current().settle()
        except es_client.DomainUnavailable as exc:
            log.warning("codes queued for later", extra={"event": "codes", "error": str(exc)[:200]})


class Unqueued:
    """On a laptop search reads the journal's codings themselves: a change is searchable as it is written."""

    def queue_where(self, db, where, params):
        """Nothing to queue."""

    def queue_ids(self, db, response_ids):
        """Nothing to queue."""

    def push_now(self):
        """Nothing to send."""


def init_app(app, sync, codes_for):
    """Keep how this app's index learns codings (the composition root chose it) and where it reads an
    answer's codes (the coding store's codes_for); a request that changed codings tells the index before
    its response goes (warehouse's after-commit reindex)."""
    INDEX_SYNC.put(app, sync)
    CODES_FOR.put(app, codes_for)
    app.after_request(_push_queued)


def _push_queued(response):
    if g.pop("codes_queued", False):
        push_now()
    return response


def queue_where(db, where, params):
    """The index must learn again the codes of the answers whose codings (c) match `where`."""
    INDEX_SYNC.of().queue_where(db, where, params)


def queue_ids(db, response_ids):
    """The index must learn these answers' codes again (their codings changed in the coding store)."""
    INDEX_SYNC.of().queue_ids(db, response_ids)


def push_now():
    """The index learns queued code changes now, where there is one to tell (after each request that
    queued some; a CLI command or a page that counts them before it renders calls it itself)."""
    INDEX_SYNC.of().push_now()

