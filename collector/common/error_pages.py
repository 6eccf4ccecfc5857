"""Error pages in the site's own layout, with words a person understands."""
from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import ServiceUnavailable, default_exceptions

TOO_LARGE = (
    "What you sent is larger than we accept. Go back with your browser's Back button: your text "
    "is still there. Please shorten it and send it again."
)


class UserError(ValueError):
    """A request a person must correct; status is the HTTP status to answer with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def init_app(app, refused=(), unavailable=()):
    """Every error the app produces, answered once for all pages: the error template, or JSON
    under /analyst/api/. `refused` are further user errors (400), `unavailable` the errors of a
    search engine that did not answer (503)."""
    for code in (400, 401, 403, 404, 405, 409, 410, 413, 415, 429, 500, 503):
        app.register_error_handler(code, error_page)
    app.register_error_handler(CSRFError, error_page)
    for kind in (UserError, *refused):
        app.register_error_handler(kind, user_error)
    for kind in unavailable:
        app.register_error_handler(kind, lambda exc: error_page(ServiceUnavailable(description=str(exc))))


def user_error(exc):
    """What a person must correct, with its status (400 unless it says otherwise)."""
    return error_page(default_exceptions[getattr(exc, "status", 400)](description=str(exc)))


def error_page(error):
    """The error template for an HTTPException, unless it already carries a response."""
    if error.response is not None:  # e.g. a 429 that re-shows the survey form with its text
        return error.response
    description = TOO_LARGE if error.code == 413 else error.description
    if request.path.startswith("/analyst/api/"):  # scripts read JSON, even about a missing CSRF token
        return jsonify(error=description), error.code
    return render_template("errors/error.html", error=error, description=description), error.code
