"""Every instance forgets on its own disk what the fleet erased. An erasure on one instance records a
tombstone per answer in the workspace; this shipper step, on every other instance, reads the tombstones
recorded since it last looked and calls the stores registered as `here` (common/lifecycle.py: the journal,
the model cache) with the answers this journal holds, whether they were shipped long ago or still wait.
"""
import logging

import es_client
from collector import workspace
from collector.common import clock, lifecycle
from collector.journal import wipe
from collector.shipping import outbox, shipper

log = logging.getLogger("shipper")
CURSOR = "tombstones"
# instances' clocks differ, and a tombstone is searchable a refresh after it was written
LOOK_BACK_MS = 120_000
PAGES = 10  # at most this many pages of tombstones a pass (the rest: next pass)


def init_app(app):
    """In search mode, a shipper step that runs before the shipper claims rows: nothing erased ships."""
    if shipper.SHIPPER.find(app):
        shipper.SHIP_STEPS.append(app, Forgetting(app))


class Forgetting:
    """The shipper step that learns the fleet's erasures."""

    def __init__(self, app):
        self.app = app

    def __call__(self, db):
        """Forget here what was erased elsewhere since the last look; how many answers this journal lost."""
        forgotten = 0
        after = None
        since = outbox.cursor(db, CURSOR) - LOOK_BACK_MS
        try:
            for _ in range(PAGES):
                page = workspace.of(self.app).tombstones_since(since, after)
                forgotten += self._forget(db, page)
                if not page["more"]:
                    break
                after = page["after"]
        except es_client.DomainUnavailable as exc:
            # the answers stay here until the domain answers: next pass
            log.warning("erasures elsewhere wait: %s", exc)
        return forgotten

    def _forget(self, db, page):
        """Forget the page's new tombstones here, then note them and how far the list was read."""
        keys = {key for key, _ in page["stones"]}
        new = keys - wipe.known_keys(db, keys)
        held = wipe.held_for_keys(db, new)
        if new:
            lifecycle.forget(self.app, held, here_only=True)  # the journal tombstones what it held
            wipe.remember_keys(db, new, clock.stamp())
            log.info("erased elsewhere", extra={"event": "erased_elsewhere", "docs": len(held)})
        if page["stones"]:
            outbox.move_cursor(db, CURSOR, max(at for _, at in page["stones"]))
        return len(held)
