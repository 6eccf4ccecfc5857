"""The one clock every module reads, so a test can move time instead of waiting (tests/helpers.FakeClock).

Call it through the module (`clock.now()`, not `from ... import now`), so a test that swaps these in
is seen everywhere at once.
"""
import time
from datetime import datetime, timezone


def now():
    """Seconds since the epoch, as time.time()."""
    return time.time()


def sleep(seconds):
    """Wait this many seconds, as time.sleep()."""
    time.sleep(seconds)


def wait(event, seconds):
    """Wait until the event is set or the seconds have passed, as event.wait(); True when it was set."""
    return event.wait(seconds)


def monotonic():
    """Seconds on a clock that never goes back (for intervals), as time.monotonic()."""
    return time.monotonic()


def utc():
    """Now as an aware UTC datetime."""
    return datetime.fromtimestamp(now(), timezone.utc)


def stamp(timespec="seconds"):
    """Now as ISO 8601 in UTC, to the second unless told (audit entries order by microseconds)."""
    return utc().isoformat(timespec=timespec)
