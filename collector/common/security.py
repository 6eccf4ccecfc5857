"""Defences of the public site: headers, HTTPS, rate limits, body size and encoding checks."""
from urllib.parse import urlsplit

from flask import current_app
from flask.json.provider import DefaultJSONProvider
from jinja2.utils import htmlsafe_json_dumps

from collector.common import ratelimits
from collector.common.extensions import limiter, talisman

# No inline script or style anywhere; Bootstrap's CSS draws form icons from data: SVGs.
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
NO_LIMIT = "1000000 per second"


def init_app(app):
    """Security headers everywhere; HTTPS, HSTS and secure cookies in production; limits."""
    production = app.config["APP_ENV"] == "production"
    talisman.init_app(
        app,
        force_https=production,
        strict_transport_security=production,
        session_cookie_secure=production,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    if not app.config["RATELIMIT_STORAGE_URI"]:  # every worker of this instance shares the counts
        app.config["RATELIMIT_STORAGE_URI"] = ratelimits.uri_in(app.config["DATA_DIR"])
    limiter.init_app(app)
    app.json = HtmlSafeJSON(app)


class HtmlSafeJSON(DefaultJSONProvider):
    """JSON whose text never holds <, >, & or ' (sent as \\u escapes; parsers see no change)."""

    def dumps(self, obj, **kwargs):
        """Serialize like Flask, then escape the HTML-significant characters."""
        return str(htmlsafe_json_dumps(obj, dumps=super().dumps, **kwargs))


def same_site_path(target):
    """target if it is a path on this site, else None.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so '/\t/evil'
    or '/\\evil' would leave the site: any control, invisible or backslash character is refused.
    """
    if not target or not target.isprintable() or "\\" in target or not target.startswith("/"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def submit_limit():
    """SUBMIT_RATE_LIMIT for POST / ('off' is exempted below)."""
    value = current_app.config["SUBMIT_RATE_LIMIT"]
    return NO_LIMIT if value == "off" else value


def submit_limit_off():
    """True when SUBMIT_RATE_LIMIT=off (benchmarks)."""
    return current_app.config["SUBMIT_RATE_LIMIT"] == "off"
