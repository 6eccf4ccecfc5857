"""Links between analyst pages: the current search carried along, and a safe way back to it."""
from urllib.parse import urlencode

from flask import request, url_for

from collector.common import security


def search_url(endpoint="analyst.index", drop=("page",), route=None, **changes):
    """A link to `endpoint` (with `route` values) carrying the request's search parameters
    (repeated ones kept), `drop` left out and `changes` set (a list repeats, None removes)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in drop and k not in changes]
    for key, value in changes.items():
        pairs += [(key, v) for v in (value if isinstance(value, list) else [value]) if v is not None]
    query = urlencode(pairs)
    return url_for(endpoint, **(route or {})) + ("?" + query if query else "")


def safe_back(target):
    """Where "Back to search" goes: the analyst search it came from, else the dashboard."""
    path = security.same_site_path(target)
    return path if path and path.startswith("/analyst/") else url_for("analyst.index")
