"""The shipper: a thread per worker that moves pending journal rows into OpenSearch."""
import logging
import os
import random
import threading
import time
from dataclasses import dataclass

import es_client
from collector import coding, journal
from collector.coding import index_sync, saved
from collector.shipping import outbox

log = logging.getLogger("shipper")
RETRY = {429, 500, 502, 503, 504}
PAUSE_CAP = 60.0  # longest wait after failed requests: a fixed policy or a recovered domain is seen within a minute


def backoff(attempts, base=1.0, cap=300.0):
    """Seconds before the next try: exponential in attempts, capped, with full jitter."""
    return random.uniform(0.5, 1.0) * min(cap, base * 2 ** min(attempts, 20))


@dataclass
class Outcome:
    """What one pass achieved."""

    shipped: int = 0
    retried: int = 0
    dead: int = 0
    error: str | None = None


class Shipper:
    """Claims pending rows, sends them to /<alias>/_bulk, and marks each by its item status."""

    def __init__(self, app):
        self.app, self.alias = app, app.config["SEARCH_INDEX"]
        self.batch, self.lease = app.config["SHIP_BATCH"], app.config["SHIP_LEASE_SECONDS"]
        self.max_bytes = app.config["SHIP_MAX_BYTES"]
        self.index_ready, self.wake, self.stopping = False, threading.Event(), threading.Event()
        self.thread, self.pid, self.paused_until = None, None, 0.0
        self.spilling = None  # set by collector.shipping.spilling when a spill store is configured
        self.domain_failing = False  # the last bulk request failed as a whole
        self.failures = 0  # whole requests failed in a row (the pause grows with them)
        self.sent_codes = {}  # {answer id: codes} as the last batch carried them

    def start(self):
        """Start the background thread in this process (again after a fork); idempotent."""
        if self.pid == os.getpid() and self.thread and self.thread.is_alive():
            return
        self.pid = os.getpid()
        self.stopping.clear()
        self.thread = threading.Thread(target=self._run, name="shipper", daemon=True)
        self.thread.start()

    def notify(self):
        """A new row is waiting: ship it now rather than at the next poll."""
        self.wake.set()

    def stop(self, timeout=10):
        """Stop the thread after its current batch."""
        self.stopping.set()
        self.wake.set()
        if self.thread and self.thread.is_alive():
            self.thread.join(timeout)

    def finish(self, seconds):
        """On worker exit: stop the thread, ship what is due within `seconds`, leave the rest pending."""
        started = time.time()
        self.stop(timeout=min(5.0, seconds / 2))
        db = journal.connect(self.app.config["JOURNAL_PATH"])
        try:  # with a spill store, the second half of the time copies what is left there
            outcome = self.drain(db, started + (seconds / 2 if self.spilling else seconds))
            if self.spilling:
                self.spilling.spill_everything(db, started + seconds)
            left = journal.counts(db)["pending"]
        finally:
            db.close()
        log.info("shutdown drain", extra={"event": "drain", "shipped": outcome.shipped, "left_pending": left})
        return outcome

    def _run(self):
        db = journal.connect(self.app.config["JOURNAL_PATH"])
        while not self.stopping.is_set():
            try:
                outcome = self.run_pass(db)
            except Exception:  # a bad pass must never kill the thread; rows stay pending
                log.exception("shipper pass failed")
                outcome, self.paused_until = Outcome(error="crash"), time.time() + backoff(1)
            if outcome.error:
                self.stopping.wait(max(0.0, self.paused_until - time.time()))
            elif not (outcome.shipped or outcome.retried or outcome.dead):
                self.wake.wait(self.app.config["SHIP_POLL_SECONDS"])
                self.wake.clear()
        db.close()

    def drain(self, db, deadline, progress=lambda n: None):
        """Ship everything pending (backoff ignored) until none is left or the deadline passes."""
        total, pause = Outcome(), 0.5
        while time.time() < deadline:
            outcome = self.ship_once(db, ignore_backoff=True)
            for name in ("shipped", "retried", "dead"):
                setattr(total, name, getattr(total, name) + getattr(outcome, name))
            progress(outcome.shipped + outcome.dead)
            total.error = outcome.error or total.error
            if not (outcome.shipped or outcome.retried or outcome.dead):
                break
            if outcome.error or outcome.retried:
                time.sleep(min(pause, max(0.0, deadline - time.time())))
                pause = min(pause * 2, 10.0)
        return total

    def run_pass(self, db):
        """What the thread does each time: ship a batch, then spill what waits too long or drain the store."""
        outcome = self.ship_once(db)
        if self.spilling:
            self.spilling.after_pass(db, outcome)
        return outcome

    def ship_once(self, db, ignore_backoff=False):
        """Code new answers by the saved searches, claim one batch and ship it, then codes that changed."""
        self._delete_erased_again(db)
        with self.app.app_context():
            saved.catch_up(db)
        rows = outbox.claim(db, self.batch, self.lease, time.time(), ignore_backoff)
        outcome = Outcome()
        if rows:
            self._ship_rows(db, rows, outcome)
        if not outcome.error:
            self._sync_codes(db)
        return outcome

    def _sync_codes(self, db):
        try:
            if index_sync.waiting(db) and not self.index_ready:  # an older index may lack the codes field
                self._prepare_index(es_client.get_client(self.app))
                index_sync.make_due(db)
            index_sync.push(self.app, db)
        except Exception as exc:  # still queued: next pass (as answers, a failure never stops the shipper)
            log.warning("code updates wait: %s", exc)

    def _ship_rows(self, db, rows, outcome):
        chunks = list(self.chunks(self._encodable(db, rows, outcome)))
        for n, chunk in enumerate(chunks):
            items = self.send(chunk, outcome)
            if items is None:
                return self._release(db, [row for c in chunks[n:] for row, _ in c], outcome)
            self._mark_items(db, [row for row, _ in chunk], items, outcome)

    def chunks(self, encoded):
        """Group (row, bulk lines) pairs so that no bulk body exceeds max_bytes."""
        chunk, size = [], 0
        for row, lines in encoded:
            if chunk and size + len(lines) > self.max_bytes:
                yield chunk
                chunk, size = [], 0
            chunk.append((row, lines))
            size += len(lines)
        if chunk:
            yield chunk

    def _encodable(self, db, rows, outcome):
        """(row, bulk lines) for rows that serialize; the rest become dead letters at once."""
        good, bad, codes = [], [], coding.codes_for(db, [row["id"] for row in rows])
        self.sent_codes = codes
        for row in rows:
            try:
                doc = journal.to_document(row)
                doc.codes = codes.get(row["id"], [])
                good.append((row, es_client.bulk_lines(doc)))
            except (ValueError, TypeError) as exc:  # would fail the same way forever
                bad.append((row["id"], f"cannot encode: {exc}"[:500]))
        outbox.mark_dead(db, bad)
        outcome.dead += len(bad)
        return good

    def send(self, chunk, outcome):
        """Send one chunk of (row, bulk lines); each item's (status, error), or None when the whole request failed."""
        try:
            client = es_client.get_client(self.app)
            if not self.index_ready:
                self._prepare_index(client)
            items = es_client.send_bulk(client, self.alias, b"".join(lines for _, lines in chunk))
        except Exception as exc:  # any failure of the whole request leaves every row pending
            outcome.error = self._whole_request_failed(exc, len(chunk))
            self.domain_failing = True
            return None
        self.domain_failing, self.failures = False, 0
        log.info("shipped batch", extra={"event": "bulk", "docs": len(chunk)})
        return items

    def _prepare_index(self, client):
        """Make the index if there is none; add new questions' fields, but never let that stop shipping."""
        kinds = self.app.extensions["surveys"].field_kinds()
        if not es_client.current_index(client, self.alias):
            es_client.ensure_index(client, self.alias, kinds)  # with every field: nothing to add
            self.index_ready = True
            return
        try:
            added, conflicting = es_client.add_answer_fields(client, self.alias, kinds)
        except Exception as exc:  # answers ship anyway: unknown fields stay in _source, unindexed
            log.warning("could not add answer fields (run init-index): %s", exc.__class__.__name__)
        else:
            if added or conflicting:
                log.info("answer fields", extra={"event": "mapping", "added": added, "conflicting": conflicting})
        self.index_ready = True

    def _whole_request_failed(self, exc, count):
        """Log what failed (a 403's remedy once per run of failures) and pause, longer each time in a row."""
        status = es_client.status_of(exc)
        if status == 403 and not self.failures:
            log.error(es_client.forbidden_hint(self.app.config))
        elif status == 413 and count > 1:
            self.max_bytes = max(64 * 1024, self.max_bytes // 2)  # the domain's limit is lower than ours
        elif status != 403:
            log.warning("bulk request failed: %s", exc.__class__.__name__)
        self.failures += 1
        self.paused_until = time.time() + backoff(self.failures, cap=PAUSE_CAP)
        return f"{status or 'no response'}: {exc.__class__.__name__}"

    def _mark_items(self, db, rows, items, outcome):
        shipped, retries, dead, now = [], [], [], time.time()
        for row, (status, error) in zip(rows, items):
            reason, result = reason_for(status, error), self.fate(status, error)
            if result == "shipped":
                shipped.append(row["id"])
            elif result == "retry":
                retries.append((row["id"], now + backoff(row["attempts"]), reason))
            else:
                dead.append((row["id"], reason))
        outbox.mark_shipped(db, shipped)
        index_sync.after_shipping(db, shipped, self.sent_codes)
        self.bury_ghosts(db, shipped)
        outbox.mark_retry(db, retries)
        outbox.mark_dead(db, dead)
        outcome.shipped += len(shipped)
        outcome.retried += len(retries)
        outcome.dead += len(dead)

    def _delete_erased_again(self, db):
        """Delete again what an erasure raced with: even if the process that raced it died."""
        due = outbox.tombstones_due(db, time.time())
        if not due:
            return
        try:
            es_client.delete_ids(es_client.get_client(self.app), self.alias, due)
        except es_client.DomainUnavailable:
            return  # still due: next pass
        outbox.tombstones_checked(db, due)
        log.info("erased again", extra={"event": "tombstones", "docs": len(due)})

    def fate(self, status, error):
        """What a bulk item's status means: 'shipped', 'retry' (later, with backoff) or 'dead'."""
        if status in (200, 201):
            return "shipped"
        if status in RETRY or status == 404:  # 404: the alias vanished; bootstrap again
            self.index_ready = self.index_ready and status != 404
            return "retry"
        if error and error.get("type") == "cluster_block_exception":  # write-blocked (a reindex, a full disk)
            return "retry"
        return "dead"

    def bury_ghosts(self, db, shipped):
        """Delete again what was erased while this batch was on its way."""
        ghosts = outbox.erased_among(db, shipped) if shipped else []
        if ghosts:
            es_client.delete_ids(es_client.get_client(self.app), self.alias, ghosts)

    def _release(self, db, rows, outcome):
        now = time.time()
        outbox.mark_retry(db, [(r["id"], now + backoff(r["attempts"]), outcome.error) for r in rows])
        outcome.retried += len(rows)


def reason_for(status, error):
    if not error:
        return None
    return f"{status} {error.get('type')}: {error.get('reason')}"[:500]


def init_app(app):
    """In search mode, make this app's shipper; it starts lazily in each worker process."""
    if not app.config["SEARCH_URL"]:
        return
    app.extensions["shipper"] = shipper = Shipper(app)
    app.extensions.setdefault("worker_exit", []).append(shipper.finish)
    if app.config["SHIPPER_AUTOSTART"]:
        app.before_request(shipper.start)


def notify(app):
    """Tell this process's shipper a row is waiting (no-op in embedded mode)."""
    shipper = app.extensions.get("shipper")
    if shipper:
        shipper.notify()

