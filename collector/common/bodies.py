"""Request bodies: web forms in valid UTF-8 text only, and never silently cut at the size limit."""
import io
from urllib.parse import parse_qsl

from flask import abort, request

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_TYPE = "application/json"
JSON_PATHS = "/analyst/api/"
TOO_LARGE_FLAG = "collector.body_too_large"
REPLACEMENT = "\ufffd"  # what a decoder puts where bytes were not UTF-8


class ChunkedBodyLimit:
    """WSGI wrapper: a body sent without Content-Length (chunked) is read up to the limit first.

    Without it, the stream just stops at MAX_CONTENT_LENGTH: the end of the essay and the CSRF
    token after the cut vanish and the page blames an expired form. Over the limit, the request
    goes on with an empty body and a flag that require_form_body turns into a 413.
    """

    def __init__(self, app, limit):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        if not environ.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
            data = environ["wsgi.input"].read(self.limit + 1)
            if len(data) > self.limit:
                environ[TOO_LARGE_FLAG], data = True, b""
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(data), str(len(data))
        return self.app(environ, start_response)


def init_app(app):
    """Check every POST body before any view (or extension) reads it."""
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])
    app.before_request(require_form_body)


def require_form_body():
    """POST bodies must be web forms of UTF-8 text, never mangled (JSON only for the analyst API)."""
    if request.environ.get(TOO_LARGE_FLAG):
        abort(413)
    if request.method != "POST" or not request.mimetype:
        return
    if request.mimetype == JSON_TYPE and request.path.startswith(JSON_PATHS):
        return  # the API reads it with get_json, which refuses what is not UTF-8 JSON
    if request.mimetype not in FORM_TYPES:
        abort(415, description="Please send this as a web form.")
    raw = request.get_data(cache=True)  # form parsing below reads this cached copy
    if request.mimetype == "multipart/form-data":
        _require_text_parts(raw)
        return
    try:
        parse_qsl(raw.decode("utf-8"), encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        abort(400, description="The form data was not valid UTF-8 text.")


def _require_text_parts(raw):
    """Multipart: no files (every field is text), and no part that had to be decoded with U+FFFD."""
    if request.files:
        abort(400, description="This form takes text only, not files. Please paste your answer as text.")
    if REPLACEMENT.encode() not in raw and any(REPLACEMENT in value for value in request.form.values()):
        abort(400, description="The form data was not valid UTF-8 text.")
