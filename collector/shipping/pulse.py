"""Whether this worker's shipping thread is making progress, for /healthz.

An outage is not a fault of the instance (answers are accepted and spilled meanwhile, and a
pass that the domain refused still ends), so it never makes the instance unhealthy.
A thread that stopped ending passes, or whose passes or spill drains keep raising, does: the
load balancer then replaces the instance, whose answers spill or wait in its journal.
"""
from collector.common import clock

FAILURES_MAX = 5  # passes (or drains) in a row that raised before the worker counts as stuck


class Pulse:
    """When the shipper's last pass ended, and how many passes and drains failed in a row."""

    def __init__(self, stuck_after):
        self.stuck_after = stuck_after
        self.last = None
        self.failures = 0
        self.drain_failures = 0
        self.error = None

    def beat(self, error=None):
        """A pass ended, having raised `error` (a name) or not."""
        self.last, self.error = clock.now(), error or self.error
        self.failures = self.failures + 1 if error else 0

    def drained(self, error=None):
        """A drain of the spill store ended, having raised `error` or not."""
        self.drain_failures, self.error = (self.drain_failures + 1, error) if error else (0, self.error)

    def problem(self, running):
        """Why the running thread counts as stuck, or None."""
        if not running or self.last is None:
            return None
        if clock.now() - self.last > self.stuck_after:
            return f"no shipping pass has ended for {clock.now() - self.last:.0f} s"
        if max(self.failures, self.drain_failures) >= FAILURES_MAX:
            return f"the last {max(self.failures, self.drain_failures)} shipping passes failed ({self.error})"
        return None
