"""Who sent this request, with which role: password accounts or the load balancer's sign-in.

The way people sign in is chosen once, at startup (AUTH): `password` (accounts/passwords.py,
the ANALYSTS list) or `alb-oidc` (accounts/alb.py, the ALB's signed token). Either names a
person and the role their account or groups give; an admin's grant in the workspace's team
record outranks it, on every instance within SESSION_CHECK_SECONDS.
"""
from typing import NamedTuple

from flask import g, has_request_context, request
from werkzeug.exceptions import Forbidden

from collector import workspace
from collector.accounts import alb, passwords, roles
from collector.accounts.passwords import ANALYSTS, parse_analysts, verify  # noqa: F401 (the accounts' names)
from collector.common.slots import Slot
from collector.journal import audit
from config import ConfigError

SIGN_IN = Slot("sign_in")
NO_ROLE = ("You are signed in, but your account has no role on this site. "
           "Ask an administrator to give you one.")


class Person(NamedTuple):
    """Who sent this request, and the role they hold now."""
    name: str
    role: str


def init_app(app):
    """Load the accounts and choose how people sign in."""
    ANALYSTS.put(app, parse_analysts(app.config["ANALYSTS"]))
    if app.config["AUTH"] == "alb-oidc":
        if not app.config["ALB_ARN"]:
            raise ConfigError("AUTH=alb-oidc needs ALB_ARN: the load balancer whose sign-in tokens are trusted.")
        SIGN_IN.put(app, alb.AlbSignIn(app.config))
    elif app.config["AUTH"] == "password":
        SIGN_IN.put(app, passwords.PasswordSignIn())
    else:
        raise ConfigError(f"AUTH is {app.config['AUTH']!r}; it is password or alb-oidc.")
    audit.ROLE_OF.put(app, _role_for_audit)


def signs_in_here():
    """True when people sign in on this site's login page (passwords), not at the load balancer."""
    return SIGN_IN.of().signs_in_here


def current_person():
    """The signed-in Person, or None; Unauthorized or Forbidden from a sign-in that refuses."""
    if "person" not in g:
        g.person = _identify()
    return g.person


def _identify():
    found = SIGN_IN.of().who(request)
    if found is None:
        return None
    name, role = found
    team = workspace.current().team()
    if name not in team and not signs_in_here():
        workspace.current().note_person(name)  # so an admin can find them and rounds can name them
    role = team.get(name) or role
    if role is None:
        raise Forbidden(NO_ROLE)
    return Person(name, role)


def identified():
    """The Person the gate already identified in this request, or None (never asks the sign-in itself)."""
    return g.get("person")


def current_analyst():
    """The signed-in person's name, or None."""
    person = current_person()
    return person.name if person else None


def holds(wanted):
    """True when the signed-in person's role is wanted or above (roles.allows, the gate's own rule)."""
    person = current_person()
    return person is not None and roles.allows(person.role, wanted)


def sees_emails():
    """True when the signed-in person may see respondents' email addresses (analyst and above)."""
    return holds("analyst")


def people():
    """{name: role} of everyone known: the accounts, and those an admin granted or who signed in."""
    team = workspace.current().team()
    known = {name: account.role for name, account in ANALYSTS.of().items()}
    known.update({name: granted or known.get(name) for name, granted in team.items()})
    return known


def sign_in_first():
    """The answer to a request that needs someone signed in."""
    return SIGN_IN.of().sign_in_first(request)


def log_out():
    """End the person's session wherever it lives; the response that finishes it."""
    g.pop("person", None)
    return SIGN_IN.of().log_out()


def _role_for_audit(actor):
    """The role of the person acting in this request (an audit entry records it)."""
    if not has_request_context() or "person" not in g or g.person is None:
        return None
    return g.person.role if g.person.name == actor else None
