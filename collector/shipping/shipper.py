"""The shipper: a thread per worker that moves pending journal rows into OpenSearch."""
import logging
import os
import threading

import es_client
from collector import journal
from collector.coding import index_sync
from collector.common import clock, lifecycle
from collector.common.slots import Slot
from collector.shipping import outbox
from collector.shipping.flights import Flight
from collector.shipping.pulse import Pulse
from collector.shipping.sender import BulkSender, Outcome, backoff

SHIP_STEPS = Slot("ship_steps")
SHIPPER = Slot("shipper")

log = logging.getLogger("shipper")
# batches a drain ships between looks at its deadline (and the steps: erasures, auto-coding)
DRAIN_BATCHES = 10


class Shipper:
    """Claims pending rows, runs the registered steps, ships the rows through its BulkSender and
    marks each by its item status."""

    def __init__(self, app):
        self.app, self.alias, self.sender = app, app.config["SEARCH_INDEX"], BulkSender(app)
        self.batch, self.lease = app.config["SHIP_BATCH"], app.config["SHIP_LEASE_SECONDS"]
        self.wake, self.stopping = threading.Event(), threading.Event()
        self.thread, self.pid = None, None
        self.spilling = None  # set by collector.shipping.spilling when a spill store is configured
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
        outage = self.spilling and self.sender.domain_failing  # then every second goes to the spill store
        try:  # with a spill store, the second half of the time copies what is left there
            if outage:
                outcome = Outcome(error="the domain is failing: not tried again")
            else:
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
                clock.wait(self.stopping, max(0.0, self.sender.paused_until - clock.now()))
            elif not outcome.moved:
                self.wake.wait(self.app.config["SHIP_POLL_SECONDS"])
                self.wake.clear()
        db.close()

    def drain(self, db, deadline, progress=lambda n: None):
        """Ship everything pending (backoff ignored) until none is left or the deadline passes."""
        total, pause = Outcome(), 0.5
        while clock.now() < deadline:
            outcome = self.ship_once(db, ignore_backoff=True, batches=DRAIN_BATCHES, deadline=deadline)
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

    def ship_once(self, db, ignore_backoff=False, batches=1, deadline=None):
        """Run the registered steps (auto-coding), claim and ship up to `batches` batches (none after the
        deadline), each prepared while the one before is in the air, then the codes that changed."""
        self.sender.delete_erased_again(db)
        for step in SHIP_STEPS.find(self.app, ()):
            with self.app.app_context():
                step(db)
        outcome = Outcome()
        flying = None
        for _ in range(batches):
            if deadline is not None and clock.now() >= deadline:
                break
            rows = outbox.claim(db, self.batch, self.lease, clock.now(), ignore_backoff)
            launched = Flight(self, rows) if rows else None
            if launched and not launched.launch(db, outcome):
                launched = None
            if flying:
                flying.land(db, outcome)
            flying = launched
            if not flying or outcome.error:
                break
        if flying:
            flying.land(db, outcome)
        if not outcome.error:
            self._sync_codes(db)
        return outcome

    def _sync_codes(self, db):
        try:
            # an older index may lack the codes field
            if index_sync.waiting(db) and not self.sender.index_ready:
                self.sender.prepare_index(es_client.get_client(self.app))
                index_sync.make_due(db)
            index_sync.push(self.app, db)
        except Exception as exc:  # still queued: next pass (as answers, a failure never stops the shipper)
            log.warning("code updates wait: %s", exc)


def init_app(app):
    """Make this app's shipper (a fleet's: answers go on to the domain); it starts lazily in each worker process."""
    shipper = SHIPPER.put(app, Shipper(app))
    lifecycle.WORKER_EXIT.append(app, shipper.finish)
    if app.config["SHIPPER_AUTOSTART"]:
        app.before_request(shipper.start)


def notify(app):
    """Tell this process's shipper a row is waiting (no-op in embedded mode)."""
    shipper = SHIPPER.find(app)
    if shipper:
        shipper.notify()
