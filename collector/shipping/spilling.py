"""Spilling: answers the domain keeps refusing leave the instance for the spill store.

Rows waiting longer than SPILL_AFTER while the domain fails, and everything still pending at
shutdown, are copied to the store; a row is marked spilled only once the store confirmed it, and
from then on the store's drain (draining.py, on any instance) ships it. Each answer keeps its
_id, so an answer both spilled and shipped (a crash between the two) is still indexed once.
"""
import logging
from datetime import timedelta

import config
import es_client
from collector import journal
from collector.common import clock, lifecycle
from collector.common.slots import Slot
from collector.shipping import outbox, shipper
from collector.shipping.draining import Drainer
from collector.shipping.spill import COLUMNS, SpillStore, StoreUnavailable, id_of

SPILLING = Slot("spilling")

log = logging.getLogger("spill")


class Spilling:
    """One worker's side of the spill store: spill its rows, drain everyone's."""

    def __init__(self, app, shipper, store):
        self.shipper = shipper
        self.store = store
        self.after = app.config["SPILL_AFTER"]
        self.poll = app.config["SPILL_POLL_SECONDS"]
        self.drainer = Drainer(shipper, store)
        self.next_drain = 0.0

    def after_pass(self, db, outcome):
        """After a shipping pass: while the domain fails, spill rows that waited too long; every
        SPILL_POLL_SECONDS, drain the store (one answer only, as a probe, while the domain fails)."""
        try:
            if self.shipper.sender.domain_failing:
                self.spill_due(db)
            if clock.now() >= self.next_drain:  # while the domain fails, one answer probes it
                drained = self.drainer.drain_once(db, limit=1 if self.shipper.sender.domain_failing else self.shipper.batch)
                for name in ("shipped", "retried", "dead"):
                    setattr(outcome, name, getattr(outcome, name) + getattr(drained, name))
                if not (drained.shipped or drained.dead) or drained.error:
                    self.next_drain = clock.now() + self.poll
                self.shipper.pulse.drained()
        except StoreUnavailable as exc:
            log.warning("%s", exc)
            self.next_drain = clock.now() + self.poll
        except Exception as exc:
            # whatever one pass met, the next looks again after SPILL_POLL_SECONDS, not at once
            log.exception("spill drain pass failed")
            self.next_drain = clock.now() + self.poll
            self.shipper.pulse.drained(exc.__class__.__name__)

    def spill_due(self, db, everything=False):
        """Copy pending rows older than SPILL_AFTER (all of them if everything) to the store; how many."""
        now = clock.now()
        cutoff = clock.utc() - timedelta(seconds=0 if everything else self.after)
        rows = outbox.claim_for_spill(db, self.shipper.batch, self.shipper.lease, now,
                                      cutoff.isoformat(timespec="microseconds"), ignore_leases=everything)
        if not rows:
            return 0
        stored = set(self.store.put_many([{name: row[name] for name in COLUMNS} for row in rows]))
        outbox.mark_spilled(db, stored, clock.now())
        outbox.release(db, [row["id"] for row in rows if row["id"] not in stored])
        log.info("spilled batch", extra={"event": "spill", "docs": len(stored), "failed": len(rows) - len(stored)})
        return len(stored)

    def spill_everything(self, db, deadline):
        """At shutdown: spill every pending row, until none is left, the store fails, or the deadline."""
        spilled = 0
        while clock.now() < deadline:
            count = self.spill_due(db, everything=True)
            spilled += count
            if not count:
                break
        log.info("shutdown spill", extra={"event": "spill", "spilled": spilled,
                                          "left_pending": journal.counts(db)["pending"]})
        return spilled


def configured():
    """True when this app spills to a store."""
    return SPILLING.find() is not None


def waiting_count():
    """How many answers wait in the spill store; None when it does not answer."""
    return SPILLING.of().store.count()


def held(doc_ids=(), email=None):
    """Ids of these answers (or every answer from this email) that wait in the spill store."""
    spilling = SPILLING.find()
    if not spilling or not (doc_ids or email):
        return []
    try:
        return [id_of(key) for key in spilling.store.keys_for(doc_ids, email)]
    except StoreUnavailable as exc:
        raise es_client.DomainUnavailable(f"The spill store did not answer ({exc}).") from exc


def erase(doc_ids, emails=()):
    """Delete these answers from the spill store (an email's were found by id); how many it held. Erased ids
    are re-deleted from the index after a lease, since another instance's drain may have one in flight."""
    spilling = SPILLING.find()
    if not spilling or not doc_ids:
        return 0
    try:
        keys = spilling.store.keys_for(doc_ids)
        spilling.store.remove(keys)
    except StoreUnavailable as exc:
        raise es_client.DomainUnavailable(f"The spill store did not answer ({exc}).") from exc
    outbox.recheck_later(journal.get_db(), doc_ids, clock.now() + spilling.shipper.lease)
    return len({id_of(key) for key in keys})


def init_app(app):
    """With SPILL_URL: a spill store for this app's shipper (a fleet's)."""
    url = app.config["SPILL_URL"]
    if not url:
        return
    if url.startswith("sqs://"):
        raise config.ConfigError("SPILL_URL: answers spill to S3 (s3://<bucket>/<prefix>), not SQS: "
                                 "see docs/deploy.md, 'When an instance is terminated'.")
    try:
        store = SpillStore(url, app.config["AWS_REGION"])
    except ValueError as exc:
        raise config.ConfigError(str(exc)) from None
    sender = shipper.SHIPPER.of(app)
    sender.spilling = SPILLING.put(app, Spilling(app, sender, store))
    lifecycle.register(app, "spill", erase)
