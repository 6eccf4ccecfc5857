"""Gunicorn settings (Procfile): sizes from the environment, one shipper per worker, drain on exit."""
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"  # only nginx on the instance talks to us
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "25"))
accesslog = None  # the app writes one JSON line per request
# Time for the drain after in-flight requests finish, inside graceful_timeout.
DRAIN_SECONDS = max(1, graceful_timeout - 5)


def _loaded_app(worker):
    # worker.wsgi is the app gunicorn loaded (application:application) in this forked worker;
    # after a failed load it is gunicorn's error app, which has no extensions.
    app = getattr(worker, "wsgi", None)
    return app if hasattr(app, "extensions") else None


def post_worker_init(worker):
    """The app is loaded in this (forked) worker: start its shipper thread here (unless SHIPPER_AUTOSTART=off)."""
    from collector.shipping.shipper import SHIPPER  # the app imported it already: no cost, and no import here before

    app = _loaded_app(worker)
    shipper = SHIPPER.find(app) if app else None
    if shipper and shipper.app.config["SHIPPER_AUTOSTART"]:
        shipper.start()


def worker_exit(server, worker):
    """SIGTERM: listeners are closed; the app ships what it can and closes its audit entries."""
    from collector.common.lifecycle import WORKER_EXIT

    app = _loaded_app(worker)
    for hook in WORKER_EXIT.find(app, []) if app else []:
        hook(DRAIN_SECONDS)
