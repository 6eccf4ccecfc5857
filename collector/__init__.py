"""The survey collector: create_app() wires settings, storage, search and pages."""
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config
import es_client
from collector import composition, journal, meaning
from collector.accounts import access, auth
from collector.analyst import views as analyst_views
from collector.common import bodies, error_pages, i18n, logs, security, times
from collector.common.extensions import bootstrap, csrf
from collector.ops import cli, health
from collector.respondent import receipts
from collector.respondent import views as respondent_views
from collector.search.query import QueryError
from collector.surveys import loading

# templates/ and static/ stay at the repository root, beside the user's other top-level names.
ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the app from the environment, or from test_config on top of it."""
    app = Flask(__name__, template_folder=ROOT / "templates", static_folder=ROOT / "static")
    app.config.update(config.FIXED, **config.from_environment())
    app.config.update(test_config or {})
    config.finalize(app.config)
    if app.config["PROXY_HOPS"]:
        # X-Forwarded-For gains one address per proxy (ALB, nginx); the ALB sets, not appends, Proto.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=1)

    logs.init_app(app)
    security.init_app(app)
    bodies.init_app(app)
    bootstrap.init_app(app)
    times.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    loading.init_app(app)
    journal.init_app(app)
    meaning.init_app(app)
    composition.init_app(app)
    auth.init_app(app)
    cli.init_app(app)

    _routes(app)
    access.init_app(app)
    error_pages.init_app(app, refused=(QueryError,), unavailable=(es_client.DomainUnavailable,))
    return app


def _routes(app):
    """The respondents' pages, the analysts' and the health check."""
    for blueprint in (respondent_views.bp, receipts.bp, analyst_views.bp, health.bp):
        app.register_blueprint(blueprint)
    # The survey form checks its own token so it can re-show the essay on failure.
    for view in (respondent_views.form, respondent_views.take, respondent_views.resume):
        csrf.exempt(view)
