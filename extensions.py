"""Flask extension objects, bound to the app in create_app."""
from flask_bootstrap import Bootstrap5
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

bootstrap = Bootstrap5()
csrf = CSRFProtect()
talisman = Talisman()

# No inline script or style anywhere; Bootstrap's CSS draws form icons from data: SVGs.
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_security(app):
    """Security headers everywhere; HTTPS redirect, HSTS and secure cookies in production."""
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
