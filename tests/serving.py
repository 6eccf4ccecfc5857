"""Loopback servers for tests: served in a thread and stopped at once when the test ends.

`serve_forever` looks for a stop request every poll_interval, 0.5 s unless told: every test that
stopped a server waited for it (the domain fixture's teardown alone cost the suite about a minute).
"""
import contextlib
import threading

from werkzeug.serving import make_server

POLL_SECONDS = 0.01


def start(server):
    """Serve server (werkzeug's or http.server's) in a daemon thread that notices shutdown() quickly."""
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True).start()


@contextlib.contextmanager
def serving(server):
    """Serve server for the block and yield its URL; stop and close it however the block ends."""
    start(server)
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def serving_app(app):
    """Serve a Flask app on a free loopback port for the block (threaded, like a worker under load)."""
    return serving(make_server("127.0.0.1", 0, app, threaded=True))
