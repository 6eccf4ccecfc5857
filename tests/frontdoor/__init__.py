"""AWS's front door, simulated on loopback in front of a real OpenSearch node.

Only what the managed service adds is simulated here: SigV4 verification (403), refusals an
IAM or data-access policy would make (403), throttling and outages (429, 503, a dropped
connection), item-level bulk rejections, latency, the payload limit (413), and the API surface
Serverless lacks. Everything else (mappings, analysis, search, aggregations, reindex) is the
real node's own answer, forwarded unchanged.
"""
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import urllib3

from tests import serving
from tests.frontdoor.bulk import reject_items
from tests.frontdoor.sigv4 import SignatureError, verify

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
# What a Serverless collection does not serve (its supported-operations list).
SERVERLESS_MISSING = re.compile(r"^/(_reindex|_tasks|_nodes|_cluster|_cat|[^/]+/_refresh)(/|$)|^/$")


@dataclass
class Switches:
    """Faults to inject. mode: up | down | 429 | 500 | 503."""

    mode: str = "up"
    latency: float = 0.0
    item_429_every: int = 0  # reject every Nth bulk item with 429 (0: never)
    max_body_bytes: int = 10 * 1024 * 1024  # small AWS instance types' payload limit
    # [(method or None, path regex, status)] answered without the node
    refused: list = field(default_factory=list)


@dataclass
class Seen:
    """One request as the front door saw it."""

    method: str
    path: str
    status: int
    body_bytes: int
    signature_ok: bool


class FrontDoor:
    """A threaded HTTP server on 127.0.0.1 that checks what AWS checks, then forwards to a node.

    `node_url` is one URL or a list: as the domain's load balancer, a node that does not answer
    is skipped for the next one.
    """

    def __init__(self, node_url, region="us-east-1", service="es", auth=True, port=0):
        self.node_urls = [u.rstrip("/") for u in ([node_url] if isinstance(node_url, str) else node_url)]
        self.node_url, self.region, self.service, self.auth = self.node_urls[0], region, service, auth
        self.keys, self.switches, self.seen = {}, Switches(), []
        self.pool = urllib3.PoolManager(maxsize=32, retries=False)
        self._counter = 0
        self._count_lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        serving.start(self.server)
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

    def refuse(self, path_pattern, status=403, method=None):
        """Answer matching requests with `status` and never forward them: 403 as an access policy
        without that permission does, 404 as a domain that lost a finished task's record."""
        self.switches.refused.append((method, re.compile(path_pattern), status))

    def bad_signatures(self):
        """Requests refused for their signature."""
        return [s for s in self.seen if not s.signature_ok]

    def signature_error(self, method, target, headers, body):
        """Why AWS would refuse this request's signature, or None when it is valid (or auth is off)."""
        if not self.auth:
            return None
        try:
            verify(self.keys, self.region, self.service, method, f"http://{headers['Host']}{target}", headers, body)
        except SignatureError as exc:
            return str(exc)
        return None

    def handle(self, method, target, headers, body):
        """(status, headers, body bytes) for one validly signed request."""
        time.sleep(self.switches.latency)
        refusal = self._refusal(method, urlsplit(target).path, body)
        if refusal:
            return refusal
        # Serverless ignores ?refresh: writes become searchable a refresh interval later
        if self.service == "aoss":
            target = _without_refresh(target)
        if target.split("?")[0].endswith("/_bulk") and self.switches.item_429_every:
            return reject_items(body, self._next_item_faults, lambda b: self.forward(method, target, headers, b))
        return self.forward(method, target, headers, body)

    def _refusal(self, method, path, body):
        if len(body) > self.switches.max_body_bytes:
            return _error(413, f"Request size exceeded {self.switches.max_body_bytes} bytes", "Message")
        if self.switches.mode in ("429", "500", "503"):
            status = int(self.switches.mode)
            return _error(status, {429: "Too Many Requests", 500: "Internal error", 503: "Service Unavailable"}[status])
        for status in (s for m, p, s in self.switches.refused if (m is None or m == method) and p.search(path)):
            if status == 403:
                return _error(403, f"User: arn:aws:sts::123456789012:assumed-role/app is not authorized to "
                                   f"perform {method} {path}", "Message")
            return _error(status, f"{method} {path}: refused by the test's front door")
        if self.service == "aoss" and SERVERLESS_MISSING.search(path):
            return _error(404, f"{method} {path} is not supported by OpenSearch Serverless")
        return None

    def _next_item_faults(self, count):
        """For `count` bulk items: which the throttle rejects (every Nth across the whole run)."""
        with self._count_lock:
            start, self._counter = self._counter, self._counter + count
        every = self.switches.item_429_every
        return [(start + n) % every == 0 for n in range(count)]

    def forward(self, method, target, headers, body):
        """Send the request to the real node unchanged (minus AWS's headers); its answer."""
        keep = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP and not k.lower().startswith("x-amz")
                and k.lower() != "authorization"}
        for url in self.node_urls:
            try:
                answer = self.pool.request(method, url + target, body=body or None, headers=keep,
                                           preload_content=True, redirect=False, timeout=120)
                break
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError):
                continue  # that node is gone: the balancer tries another
            except urllib3.exceptions.HTTPError:  # it died mid-request: the balancer says so
                return _error(502, "Bad Gateway: the node closed the connection")
        else:
            return _error(503, "No node of the domain answered")
        content_type = answer.headers.get("Content-Type", "application/json; charset=UTF-8")
        return answer.status, {"Content-Type": content_type}, answer.data


def _without_refresh(target):
    """The request target without its refresh parameter."""
    path, _, query = target.partition("?")
    kept = [pair for pair in query.split("&") if pair and not pair.startswith("refresh=")]
    return f"{path}?{'&'.join(kept)}" if kept else path


def _error(status, message, key="error"):
    body = {key: message} if key != "error" else {"error": {"type": "aws_front_door", "reason": message},
                                                   "status": status}
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _handler(door):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stall

        def _serve(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if door.switches.mode == "down":  # no answer at all: the connection drops
                self.close_connection = True
                return
            refused = door.signature_error(self.command, self.path, self.headers, body)
            if refused:
                status, headers, out = _error(403, refused, "message")
            else:
                status, headers, out = door.handle(self.command, self.path, self.headers, body)
            door.seen.append(Seen(self.command, urlsplit(self.path).path, status, len(body), not refused))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, *args):
            pass

    return Handler
