"""The shipper: a thread per worker that moves pending journal rows into OpenSearch."""
import logging
import os
import threading

import es_client
from collector import journal
from collector.coding import index_sync, stores
from collector.shipping import guarded, outbox
from collector.shipping.pulse import Pulse
from collector.shipping.sender import BulkSender, Outcome, backoff, reason_for
from collector.web import clock

log = logging.getLogger("shipper")


class Shipper:
    """Claims pending rows, runs the registered steps, ships the rows through its BulkSender and
    marks each by its item status."""

    def __init__(self, app):
        self.app, self.alias, self.sender = app, app.config["SEARCH_INDEX"], BulkSender(app)
        self.batch, self.lease = app.config["SHIP_BATCH"], app.config["SHIP_LEASE_SECONDS"]
        self.wake, self.stopping = threading.Event(), threading.Event()
        self.thread, self.pid = None, None
        self.spilling = None  # set by collector.shipping.spilling when a spill store is configured
        self.sent_codes = {}  # {answer id: codes} as the last batch carried them
        self.pulse = Pulse(app.config["SHIP_STUCK_SECONDS"])

    def start(self):
        """Start the background thread in this process (again after a fork); idempotent."""
        if self.pid == os.getpid() and self.thread and self.thread.is_alive():
            return
        self.pid = os.getpid()
        self.stopping.clear()
        self.thread = threading.Thread(target=self._run, name="shipper", daemon=True)
        self.thread.start()

    def stuck(self):
        """Why this worker's shipping thread counts as stuck (for /healthz), or None."""
        return self.pulse.problem(bool(self.thread and self.thread.is_alive() and self.pid == os.getpid()))

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
        started = clock.now()
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
                self.pulse.beat()
            except Exception as exc:  # a bad pass must never kill the thread; rows stay pending
                log.exception("shipper pass failed")
                outcome, self.sender.paused_until = Outcome(error="crash"), clock.now() + backoff(1)
                self.pulse.beat(exc.__class__.__name__)
            if outcome.error:
                self.stopping.wait(max(0.0, self.sender.paused_until - clock.now()))
            elif not outcome.moved:
                self.wake.wait(self.app.config["SHIP_POLL_SECONDS"])
                self.wake.clear()
        db.close()

    def drain(self, db, deadline, progress=lambda n: None):
        """Ship everything pending (backoff ignored) until none is left or the deadline passes."""
        total, pause = Outcome(), 0.5
        while clock.now() < deadline:
            outcome = self.ship_once(db, ignore_backoff=True)
            total.add(outcome)
            progress(outcome.shipped + outcome.dead)
            if not outcome.moved:
                break
            if outcome.error or outcome.retried:
                clock.sleep(min(pause, max(0.0, deadline - clock.now())))
                pause = min(pause * 2, 10.0)
        return total

    def run_pass(self, db):
        """What the thread does each time: ship a batch, then spill what waits too long or drain the store."""
        outcome = self.ship_once(db)
        if self.spilling:
            self.spilling.after_pass(db, outcome)
        return outcome

    def ship_once(self, db, ignore_backoff=False):
        """Run the registered steps (auto-coding), claim one batch and ship it, then codes that changed."""
        self.sender.delete_erased_again(db)
        for step in self.app.extensions.get("ship_steps", ()):
            with self.app.app_context():
                step(db)
        rows = outbox.claim(db, self.batch, self.lease, clock.now(), ignore_backoff)
        outcome = Outcome()
        if rows:
            self._ship_rows(db, rows, outcome)
        if not outcome.error:
            self._sync_codes(db)
        return outcome

    def _sync_codes(self, db):
        try:
            if index_sync.waiting(db) and not self.sender.index_ready:  # an older index may lack the codes field
                self.sender.prepare_index(es_client.get_client(self.app))
                index_sync.make_due(db)
            index_sync.push(self.app, db)
        except Exception as exc:  # still queued: next pass (as answers, a failure never stops the shipper)
            log.warning("code updates wait: %s", exc)

    def _ship_rows(self, db, rows, outcome):
        if (rows := self.sender.without_erased(db, claimed := rows, outcome)) is None:
            return self._release(db, claimed, outcome)
        if not self.sender.ready(outcome):  # the documents' form depends on the index's
            return self._release(db, rows, outcome)
        try:
            chunks = self.sender.chunks(self._encodable(db, rows, outcome))
        except es_client.DomainUnavailable as exc:  # the answers' codes could not be read: the whole batch waits
            outcome.error = str(exc)[:500]
            return self._release(db, rows, outcome)
        for chunk, items in zip(chunks, self.sender.send_all(chunks, outcome)):
            if items is None:
                self._release(db, [row for row, _ in chunk], outcome)
            else:
                self._mark_items(db, [row for row, _ in chunk], items, outcome)

    def _encodable(self, db, rows, outcome):
        """(row, bulk lines) for rows that serialize; the rest become dead letters at once."""
        good, bad, codes = [], [], stores.of(self.app).codes_for([row["id"] for row in rows])
        self.sent_codes = codes
        for row in rows:
            try:
                source = self.sender.source(row, codes.get(row["id"], []))
                good.append((row, guarded.bulk_lines(row["id"], source) if guarded.needed(row)
                             else es_client.index_lines(row["id"], source)))
            except (ValueError, TypeError) as exc:  # would fail the same way forever
                bad.append((row["id"], f"cannot encode: {exc}"[:500]))
        outbox.mark_dead(db, bad)
        outcome.dead += len(bad)
        return good

    def _mark_items(self, db, rows, items, outcome):
        shipped, retries, dead, now = [], [], [], clock.now()
        for row, (status, error) in zip(rows, items):
            reason, result = reason_for(status, error), self.sender.fate(status, error)
            if result == "shipped":
                shipped.append(row)
            elif result == "retry":
                retries.append((row["id"], now + backoff(row["attempts"]), reason))
            else:
                dead.append((row["id"], reason))
        outbox.mark_shipped(db, [row["id"] for row in shipped])
        index_sync.after_shipping(self.app, db, [row["id"] for row in shipped], self.sent_codes)
        outbox.mark_retry(db, retries)
        outbox.mark_dead(db, dead)
        self.sender.bury_ghosts(db, shipped)
        outcome.shipped += len(shipped)
        outcome.retried += len(retries)
        outcome.dead += len(dead)

    def _release(self, db, rows, outcome):
        now = clock.now()
        outbox.mark_retry(db, [(r["id"], now + backoff(r["attempts"]), outcome.error) for r in rows])
        outcome.retried += len(rows)


def init_app(app):
    """Make this app's shipper (a fleet's: answers go on to the domain); it starts lazily in each worker process."""
    app.extensions["shipper"] = shipper = Shipper(app)
    app.extensions.setdefault("worker_exit", []).append(shipper.finish)
    if app.config["SHIPPER_AUTOSTART"]:
        app.before_request(shipper.start)


def notify(app):
    """Tell this process's shipper a row is waiting (no-op in embedded mode)."""
    shipper = app.extensions.get("shipper")
    if shipper:
        shipper.notify()
