"""Draining the spill store: every instance takes spilled answers (from any instance) into the domain.

Each answer leaves the store only after the domain acknowledged its own bulk item; retryable
items back off, refused ones move to dead/ with the reason. An answer erased on this instance is
deleted from the store without being indexed.
"""
import logging

import es_client
from collector.common import clock
from collector.shipping import bulks, outbox
from collector.shipping.sender import Outcome, backoff, reason_for

log = logging.getLogger("spill")


class Drainer:
    """One worker's drain of the spill store, through its shipper's bulk sender."""

    def __init__(self, shipper, store):
        self.shipper = shipper
        self.sender = shipper.sender
        self.store = store
        self.retry_at = {}  # key: (attempts, not before)

    def drain_once(self, db, limit=None):
        """Take one batch of spilled answers into the domain; each leaves the store once acknowledged."""
        outcome = Outcome()
        now = clock.now()
        keys = [key for key in self.store.waiting() if self.retry_at.get(key, (0, 0))[1] <= now]
        rows = self._well_formed(db, keys[:limit or self.shipper.batch], outcome)
        erased = set(outbox.erased_among(db, [row["id"] for row in rows.values()])) if rows else set()
        kept = self.sender.without_erased(db, list(rows.values()), outcome)
        # the domain cannot say what was erased: send nothing
        if kept is None or not self.sender.ready(outcome):
            return outcome
        erased |= {row["id"] for row in rows.values()} - {row["id"] for row in kept}
        self.store.remove([key for key, row in rows.items() if row["id"] in erased])  # never indexed again
        encoded = []
        for key, row in rows.items():
            if row["id"] not in erased:
                try:
                    # create, never index: an answer the index holds already (its instance shipped it,
                    # or a forged object names its id) is left as it is, and the object is done
                    encoded.append(((key, row), es_client.index_lines(row["id"], self.sender.source(row), op="create")))
                except (ValueError, TypeError) as exc:  # would fail the same way forever
                    self._bury(key, row, f"cannot encode: {exc}"[:500], outcome)
        chunks = self.sender.chunks(encoded)
        for chunk, posted in zip(chunks, bulks.post_all(self.sender, chunks)):
            if (items := self.sender.settle(chunk, outcome, *posted.result())) is not None:
                self._settle(db, [pair for pair, _ in chunk], items, outcome)
        return outcome

    def _well_formed(self, db, keys, outcome):
        """{key: row} of the whole answers among keys; every other object moves to dead/ with the reason."""
        good, bad = self.store.read_many(keys)
        held = outbox.held_here(db, [row["id"] for _, row in good])
        for key, row in good:
            mine = held.get(row["id"])
            if mine and (mine["email"], mine["essay"]) != (row["email"], row["essay"]):
                bad.append((key, "it differs from the answer with its id that this instance holds"))
        for key, reason in bad:
            self.store.bury_as_is(key, reason)
            outcome.dead += 1
            log.warning("spilled object refused", extra={"event": "dead_letter", "key": key, "reason": reason})
        refused = {key for key, _ in bad}
        return {key: row for key, row in good if key not in refused}

    def _settle(self, db, pairs, items, outcome):
        """Act on each bulk item: delete the acknowledged, back off the retryable, bury the refused."""
        done = []
        now = clock.now()
        for (key, row), (status, error) in zip(pairs, items):
            # 409: in the index already
            fate = "shipped" if status == 409 else self.sender.fate(status, error)
            if fate == "shipped":
                done.append((key, row))
            elif fate == "retry":
                attempts = self.retry_at.get(key, (0, 0))[0]
                self.retry_at[key] = (attempts + 1, now + backoff(attempts))
                outcome.retried += 1
            else:
                self._bury(key, row, reason_for(status, error), outcome)
        # the rows this instance spilled itself are shipped now
        outbox.mark_shipped(db, [row["id"] for _, row in done])
        self.sender.bury_ghosts(db, [row for _, row in done])
        self.store.remove([key for key, _ in done])
        for key, _ in done:
            self.retry_at.pop(key, None)
        outcome.shipped += len(done)
        log.info("drained spill batch", extra={"event": "drain_spill", "docs": len(pairs), "shipped": len(done),
                                               "retried": outcome.retried, "dead": outcome.dead})

    def _bury(self, key, row, reason, outcome):
        self.store.bury(key, row, reason)
        self.retry_at.pop(key, None)
        outcome.dead += 1
        log.warning("spilled answer refused for good", extra={"event": "dead_letter", "id": row["id"]})

    def drain_all(self, db, progress=lambda n: None):
        """Drain the store until it is empty or a pass moves nothing (CLI); the summed Outcome."""
        total = Outcome()
        while True:
            outcome = self.drain_once(db)
            total.add(outcome)
            progress(outcome.shipped + outcome.dead)
            if outcome.error or not (outcome.shipped or outcome.dead):
                return total
