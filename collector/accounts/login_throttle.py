"""Failed-login throttles, per client address and per analyst name; only failures count.

The name throttle stops guessing one analyst's password from many addresses, but on its own it
let anyone lock an analyst out by failing on their name. So while a name is throttled, a correct
password still logs in from an address with no recent failures; any failure from an address
uses up that way in for it. A botnet gets one guess per address at a throttled name.
"""
from flask import current_app, request
from limits import parse

from collector.common.extensions import limiter


def _limit():
    return parse(current_app.config["LOGIN_RATE_LIMIT"])


def _address():
    return ("login-address", request.remote_addr or "unknown")


def _name(name):
    return ("login-name", (name or "").strip().lower())


def address_blocked():
    """True when this address has used up its failed logins (checked before any password)."""
    return not limiter.limiter.test(_limit(), *_address())


def may_log_in(name):
    """With a correct password: True unless the name is throttled and this address has failed."""
    if limiter.limiter.test(_limit(), *_name(name)):
        return True
    return limiter.limiter.get_window_stats(_limit(), *_address()).remaining == _limit().amount


def name_blocked(name):
    """True when the name has used up its failed logins."""
    return not limiter.limiter.test(_limit(), *_name(name))


def failed(name):
    """Count one failed login against this address and this name."""
    limiter.limiter.hit(_limit(), *_address())
    limiter.limiter.hit(_limit(), *_name(name))
