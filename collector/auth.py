"""Analyst accounts from the ANALYSTS setting, and the session that proves a login."""
import functools
import time
from datetime import timedelta

from flask import current_app, session
from werkzeug.security import check_password_hash, generate_password_hash

from config import ConfigError

SESSION_KEY = "analyst"
SEEN_KEY = "analyst_seen"


def parse_analysts(setting):
    """Turn 'name:hash,name:hash' into a dict; each pair splits at its first ':'."""
    analysts = {}
    for pair in filter(None, (p.strip() for p in setting.split(","))):
        name, sep, hashed = pair.partition(":")
        if not (sep and name.strip() and hashed):
            raise ConfigError(f"ANALYSTS entry {name.strip() or pair[:10]!r} is not name:hash.")
        analysts[name.strip()] = hashed
    return analysts


def init_app(app):
    """Load the analyst list and set the session lifetime."""
    app.extensions["analysts"] = parse_analysts(app.config["ANALYSTS"])
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=8))


@functools.cache
def _dummy_hash():
    # Checked for unknown names so that a miss costs as long as a wrong password; made on first
    # use, not at import (scrypt is deliberately slow).
    return generate_password_hash("not a password")


def verify(name, password):
    """True when name is a configured analyst and password matches."""
    analysts = current_app.extensions["analysts"]
    hashed = analysts.get(name) or _dummy_hash()
    return check_password_hash(hashed, password) and name in analysts


def log_in(name):
    """Start a fresh session for name (nothing from before login survives)."""
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = name
    session[SEEN_KEY] = time.time()


def log_out():
    """End the analyst session."""
    session.clear()


def current_analyst():
    """The logged-in analyst's name, or None; an idle session ends here."""
    name = session.get(SESSION_KEY)
    if name is None:
        return None
    idle = current_app.config["ANALYST_IDLE_MINUTES"] * 60
    if time.time() - session.get(SEEN_KEY, 0) > idle:
        session.clear()
        session["expired"] = True
        return None
    session[SEEN_KEY] = time.time()
    return name


def session_expired():
    """True once, right after an idle session was ended."""
    return session.pop("expired", False)
