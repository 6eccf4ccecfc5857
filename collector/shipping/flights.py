"""One claimed batch on its way to the domain: checked against erasures, encoded in the index's form,
posted in the background (SHIP_PARALLEL requests), then landed: each row marked by its own item's
fate. While one batch is in the air the shipper prepares the next, so the domain indexes while the
shipper encodes (a drain keeps the node busy instead of waiting on it half the time)."""
import es_client
from collector.coding import index_sync, stores
from collector.common import clock
from collector.shipping import bulks, guarded, outbox
from collector.shipping.sender import backoff, reason_for


class Flight:
    """A batch of claimed journal rows, from launch to landing."""

    def __init__(self, shipper, rows):
        self.app = shipper.app
        self.sender = shipper.sender
        self.rows = rows
        self.chunks = []
        self.posted = []
        self.codes = {}  # {answer id: codes} as this batch carries them

    def launch(self, db, outcome):
        """Check, encode and post the batch (the requests run in the background); False when it cannot go."""
        if (rows := self.sender.without_erased(db, self.rows, outcome)) is None or not self.sender.ready(outcome):
            release(db, self.rows, outcome)  # the domain cannot say what was erased, or make the index
            return False
        try:
            self.chunks = self.sender.chunks(self._encodable(db, rows, outcome))
        except es_client.DomainUnavailable as exc:
            # the answers' codes could not be read: the whole batch waits
            outcome.error = str(exc)[:500]
            release(db, rows, outcome)
            return False
        self.posted = bulks.post_all(self.sender, self.chunks)
        return True

    def land(self, db, outcome):
        """Wait for the batch's requests and mark every row by its item (a failed request's rows wait)."""
        for chunk, posted in zip(self.chunks, self.posted):
            items = self.sender.settle(chunk, outcome, *posted.result())
            if items is None:
                release(db, [row for row, _ in chunk], outcome)
            else:
                self._mark_items(db, [row for row, _ in chunk], items, outcome)

    def _encodable(self, db, rows, outcome):
        """(row, bulk lines) for rows that serialize; the rest become dead letters at once."""
        good, bad = [], []
        self.codes = stores.of(self.app).codes_for([row["id"] for row in rows])
        for row in rows:
            try:
                source = self.sender.source(row, self.codes.get(row["id"], []))
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
        index_sync.after_shipping(self.app, db, [row["id"] for row in shipped], self.codes)
        outbox.mark_retry(db, retries)
        outbox.mark_dead(db, dead)
        self.sender.bury_ghosts(db, shipped)
        outcome.shipped += len(shipped)
        outcome.retried += len(retries)
        outcome.dead += len(dead)


def release(db, rows, outcome):
    """Put rows back to wait (with backoff), counted as retried."""
    now = clock.now()
    outbox.mark_retry(db, [(r["id"], now + backoff(r["attempts"]), outcome.error) for r in rows])
    outcome.retried += len(rows)
