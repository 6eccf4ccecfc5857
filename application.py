"""The survey collector: create_app() wires settings, storage, search and pages."""
from flask import Flask, render_template
from flask.json.provider import DefaultJSONProvider
from jinja2.utils import htmlsafe_json_dumps
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

import analyst
import auth
import commands
import config
import health
import journal
import logs
import search
import security
import shipper
import survey
from extensions import bootstrap, csrf


class HtmlSafeJSON(DefaultJSONProvider):
    """JSON whose text never contains <, >, & or ' (escaped as \\u sequences; parsers see no change)."""

    def dumps(self, obj, **kwargs):
        return str(htmlsafe_json_dumps(obj, dumps=super().dumps, **kwargs))


def create_app(test_config=None):
    """Build the app from the environment, or from test_config on top of it."""
    app = Flask(__name__)
    app.json = HtmlSafeJSON(app)
    app.config.update(config.FIXED, **config.from_environment())
    app.config.update(test_config or {})
    config.finalize(app.config)
    if app.config["PROXY_HOPS"]:
        # X-Forwarded-For gains one address per proxy (ALB, nginx); the ALB sets, not appends, Proto.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=1)

    logs.init_app(app)
    security.init_app(app)
    bootstrap.init_app(app)
    csrf.init_app(app)
    journal.init_app(app)
    search.init_app(app)
    shipper.init_app(app)
    auth.init_app(app)
    commands.init_app(app)

    app.register_blueprint(survey.bp)
    app.register_blueprint(analyst.bp)
    app.register_blueprint(health.bp)
    # The survey form checks its own token so it can re-show the essay on failure.
    csrf.exempt(survey.form)
    _register_error_pages(app)
    return app


def _register_error_pages(app):
    for code in (400, 404, 405, 413, 500, 503):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _error_page)


TOO_LARGE = (
    "What you sent is larger than we accept. Go back with your browser's Back button: your text "
    "is still there. Please shorten it and send it again."
)


def _error_page(error):
    description = TOO_LARGE if error.code == 413 else error.description
    return render_template("errors/error.html", error=error, description=description), error.code


application = create_app()
