"""Password accounts (AUTH=password): the ANALYSTS list, and sessions the server can end.

The cookie holds a random session id; the workspace (the journal's analyst_sessions table, or the
domain for a fleet) says whether it is still alive. Logout deletes the record, so a copied cookie
stops working on every instance. Each record also keeps a fingerprint of the analyst's password
hash: changing the password or removing the analyst from ANALYSTS ends every session they had.
"""
import functools
import hashlib
import hmac
import secrets
from typing import NamedTuple

from flask import current_app, flash, jsonify, redirect, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from collector import workspace
from collector.accounts.roles import ROLES
from collector.common import clock
from collector.common.slots import Slot
from config import ConfigError

ANALYSTS = Slot("analysts")

SESSION_KEY = "analyst"
TOKEN_KEY = "sid"
SEEN_EVERY = 30  # seconds between writes of last activity (one fsync per analyst click is waste)


class Account(NamedTuple):
    """One ANALYSTS entry: the password hash and the role it gives."""
    hashed: str
    role: str


def parse_analysts(setting):
    """Turn 'name:hash[:role],...' into {name: Account}; the name ends at the first ':', a role is the last part."""
    analysts = {}
    for pair in filter(None, (p.strip() for p in setting.split(","))):
        name, sep, hashed = pair.partition(":")
        if not (sep and name.strip() and hashed):
            raise ConfigError(f"ANALYSTS entry {name.strip() or pair[:10]!r} is not name:hash.")
        rest, _, last = hashed.rpartition(":")
        if "$" not in last and rest.count("$") == 2:
            if last not in ROLES:
                raise ConfigError(f"ANALYSTS entry {name.strip()!r}: {last[:20]!r} is not a role; the roles are "
                                  f"{', '.join(ROLES)}.")
            hashed = rest
        role = last if last in ROLES else "analyst"
        if hashed.count("$") != 2 or not hashed.startswith(("scrypt:", "pbkdf2:")) or hashed.endswith("$"):
            raise ConfigError(f"ANALYSTS entry {name.strip()!r}: the hash is cut short or not one hash-password "
                              "made. If the shell expanded its $ signs, put the whole setting in single quotes.")
        analysts[name.strip()] = Account(hashed, role)
    return analysts


@functools.cache
def _dummy_hash():
    # Checked for unknown names so that a miss costs as long as a wrong password; made on first
    # use, not at import (scrypt is deliberately slow).
    return generate_password_hash("not a password")


def verify(name, password):
    """True when name is a configured analyst and password matches."""
    analysts = ANALYSTS.of()
    hashed = analysts[name].hashed if name in analysts else _dummy_hash()
    return check_password_hash(hashed, password) and name in analysts


def _fingerprint(name):
    """Changes when the analyst's password hash changes or they leave ANALYSTS."""
    account = ANALYSTS.of().get(name)
    hashed = account.hashed if account else ""
    return hmac.new(current_app.secret_key.encode(), f"{name}:{hashed}".encode(), hashlib.sha256).hexdigest()


def log_in(name):
    """Start a fresh session for name (nothing from before login survives)."""
    session.clear()
    session.permanent = True
    token = secrets.token_urlsafe(32)
    workspace.current().start_session(token, name, _fingerprint(name), clock.now())
    session[SESSION_KEY], session[TOKEN_KEY] = name, token


def end_session():
    """End the analyst session here and, through the workspace, for every copy of its cookie."""
    token = session.get(TOKEN_KEY)
    if token:
        workspace.current().end_session(token)
    session.clear()


def session_name():
    """The logged-in analyst's name, or None; an ended, idle or outdated session ends here."""
    name = session.get(SESSION_KEY)
    token = session.get(TOKEN_KEY)
    if name is None or token is None:
        return None
    store = workspace.current()
    now = clock.now()
    record = store.session(token)
    idle = record is not None and now - record["seen"] > current_app.config["ANALYST_IDLE_MINUTES"] * 60
    if record is None or record["name"] != name or idle or now - record["started"] > _lifetime() or not \
            hmac.compare_digest(record["fingerprint"], _fingerprint(name)):
        if record is not None:
            store.end_session(token)
        session.clear()
        session["expired"] = idle
        return None
    if now - record["seen"] > SEEN_EVERY:
        store.saw_session(token, now)
    return name


def _lifetime():
    return current_app.permanent_session_lifetime.total_seconds()


def session_expired():
    """True once, right after an idle session was ended."""
    return session.pop("expired", False)


class PasswordSignIn:
    """Sign-in with a name and password on the login page; a session cookie after that."""

    signs_in_here = True

    def who(self, request):
        """(name, role from ANALYSTS) of a live session, or None."""
        name = session_name()
        return None if name is None else (name, ANALYSTS.of()[name].role)

    def sign_in_first(self, request):
        """A person: the login page (back here after it); a script: 401."""
        if session_expired():
            flash("Your session ended after a while without activity. Please log in again.")
        if request.path.startswith("/analyst/api/"):
            return jsonify(error="Log in as an analyst first."), 401
        back = request.full_path if request.query_string else request.path
        return redirect(url_for("analyst.login", next=back))

    def log_out(self):
        """End the session; back to the login page."""
        end_session()
        flash("You are logged out.")
        return redirect(url_for("analyst.login"), 303)
