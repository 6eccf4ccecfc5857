"""Error pages in the site's own layout, with words a person understands."""
from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError

TOO_LARGE = (
    "What you sent is larger than we accept. Go back with your browser's Back button: your text "
    "is still there. Please shorten it and send it again."
)


def init_app(app):
    """Render every error status the app produces with the error template."""
    for code in (400, 404, 405, 409, 413, 415, 429, 500, 503):
        app.register_error_handler(code, error_page)
    app.register_error_handler(CSRFError, error_page)


def error_page(error):
    """The error template for an HTTPException, unless it already carries a response."""
    if error.response is not None:  # e.g. a 429 that re-shows the survey form with its text
        return error.response
    description = TOO_LARGE if error.code == 413 else error.description
    if request.path.startswith("/analyst/api/"):  # scripts read JSON, even about a missing CSRF token
        return jsonify(error=description), error.code
    return render_template("errors/error.html", error=error, description=description), error.code
