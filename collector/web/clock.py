"""The clock that shipping, spilling and the journal's leases read, so a test can move time instead of waiting.

Call `clock.now()` and `clock.sleep()` through the module (not `from ... import now`), so a
test that swaps them in (tests/helpers.FakeClock) is seen everywhere at once.
"""
import time


def now():
    """Seconds since the epoch, as time.time()."""
    return time.time()


def sleep(seconds):
    """Wait this many seconds, as time.sleep()."""
    time.sleep(seconds)
