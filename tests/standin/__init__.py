"""A loopback stand-in for an AWS OpenSearch domain that checks every SigV4 signature.

Start it by hand with `python -m tests.standin` (see README); tests use `StandIn` directly.
"""
import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.standin.domain import Domain, parse_bulk
from tests.standin.engine import ApiError, dumps
from tests.standin.sigv4 import SignatureError, verify


@dataclass
class Switches:
    """Faults to inject. mode: up | down | 429 | 500 | 503."""

    mode: str = "up"
    latency: float = 0.0
    item_429_every: int = 0  # reject every Nth bulk item with 429 (0: never)
    max_body_bytes: int = 10 * 1024 * 1024  # small AWS instance types' payload limit
    refresh_seconds: float = 0.0  # a write is searchable after a _refresh or this long (GET by id at once)
    reindex_seconds: float = 0.0  # how long a _reindex copy takes (a caller waiting for it waits that long)


@dataclass
class Seen:
    """One request as the stand-in saw it."""

    method: str
    path: str
    status: int
    body_bytes: int
    signature_ok: bool


class StandIn:
    """A threaded HTTP server on 127.0.0.1 behaving like an AWS OpenSearch domain."""

    def __init__(self, region="us-east-1", service="es", auth=True, port=0):
        self.region, self.service, self.auth = region, service, auth
        self.keys, self.switches, self.seen = {}, Switches(), []
        self.domain = Domain(service)
        self._counter = itertools.count()
        self.domain.item_fault = self._item_fault
        self.domain.copy_seconds = lambda: self.switches.reindex_seconds
        self.domain.refresh_seconds = lambda: self.switches.refresh_seconds
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = None

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def add_key(self, access_key, secret, token=None):
        """Accept requests signed with this key."""
        self.keys[access_key] = (secret, token)

    def revoke(self, access_key):
        """Expire a key: its requests now get 403."""
        self.keys.pop(access_key, None)

    def docs(self, alias):
        """{id: source} of the index behind alias."""
        with self.domain.lock:
            return dict(self.domain.resolve(alias).docs)

    def docs_or_empty(self, alias):
        """Like docs, but {} while the index does not exist yet."""
        try:
            return self.docs(alias)
        except ApiError:
            return {}

    def bad_signatures(self):
        """Requests refused for their signature."""
        return [s for s in self.seen if not s.signature_ok]

    def _item_fault(self, n):
        every = self.switches.item_429_every
        return bool(every) and next(self._counter) % every == 0

    def handle(self, method, target, headers, body):
        """(status, body bytes or None, close connection) for one request."""
        if self.switches.mode == "down":
            return None, None, True
        time.sleep(self.switches.latency)
        if self.auth:
            try:
                verify(self.keys, self.region, self.service, method, f"http://{headers['Host']}{target}", headers, body)
            except SignatureError as exc:
                return 403, dumps({"message": str(exc)}), False
        if len(body) > self.switches.max_body_bytes:
            return 413, dumps({"Message": f"Request size exceeded {self.switches.max_body_bytes} bytes"}), False
        if self.switches.mode in ("429", "500", "503"):
            return self._fault(int(self.switches.mode))
        if urlsplit(target).path.endswith("/_reindex") and "wait_for_completion=false" not in target:
            time.sleep(self.switches.reindex_seconds)  # the caller holds its connection for the whole copy
        return self._dispatch(method, target, body)

    def _fault(self, status):
        kind = {429: "es_rejected_execution_exception", 500: "internal_server_error", 503: "unavailable"}
        return status, dumps(ApiError(status, kind[status], "injected fault").body()), False

    def _dispatch(self, method, target, body):
        url = urlsplit(target)
        parts = [unquote(p) for p in url.path.split("/") if p]
        params = dict(parse_qsl(url.query))
        try:
            payload = parse_bulk(body) if parts[-1:] == ["_bulk"] else (json.loads(body) if body else None)
            status, out = self.domain.route(method, parts, params, payload)
        except ApiError as exc:
            status, out = exc.status, exc.body()
        return status, (dumps(out) if out is not None else None), False


def _handler(standin):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, out, close = standin.handle(self.command, self.path, self.headers, body)
            if close:
                self.close_connection = True
                return
            ok = status != 403
            standin.seen.append(Seen(self.command, urlsplit(self.path).path, status, len(body), ok))
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(out or b"")))
            self.end_headers()
            if out and self.command != "HEAD":
                self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, *args):
            pass

    return Handler
