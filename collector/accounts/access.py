"""The one gate every request passes: the route's declared role against the signed-in person's.

Registered on the app, after every blueprint, so it runs before any view's own hooks. A route
that declares nobody stops the app from starting: a forgotten declaration is never "open".
"""
from flask import abort, current_app, request

from collector.accounts import auth, roles


def init_app(app):
    """Check that every route declares who may call it, then guard every request."""
    missing = roles.undeclared(app)
    if missing:
        raise RuntimeError(f"These routes do not declare who may call them (@needs or @public): {', '.join(missing)}")
    app.before_request(guard)


def guard():
    """Let a request through, or answer it: sign in first (401 or the login page), or 403."""
    view = current_app.view_functions.get(request.endpoint)
    if view is None or request.endpoint in roles.FRAMEWORK_ENDPOINTS:  # no route (404, 405), or a static file
        return None
    wanted = roles.required(view, request.method)
    if wanted == roles.PUBLIC:
        return None
    person = auth.current_person()
    if person is None:
        return auth.sign_in_first()
    if not roles.allows(person.role, wanted):
        abort(403, description=roles.refusal(wanted, person.role))
    return None
