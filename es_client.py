"""The only module that talks to OpenSearch: the signed client, bulk, reads, and its errors.

Index lifecycle (collector/shipping/indices.py, reindexing.py) uses the client made here."""
import os
import threading
from urllib.parse import urlsplit

import requests
from opensearchpy import OpenSearch, RequestsHttpConnection
from opensearchpy.exceptions import AuthorizationException, NotFoundError, RequestError, TransportError
from opensearchpy.serializer import JSONSerializer
from requests_aws4auth import AWS4Auth

from config import ConfigError

SERIALIZER = JSONSerializer()
_lock = threading.Lock()


class DomainUnavailable(RuntimeError):
    """A store in the AWS account did not answer (the search domain, its workspace index, the spill bucket):
    no response, a timeout, or an error status. The one error for it: pages answer 503 and say so."""


def aws_credentials():
    """Refreshable credentials from the default chain (the instance role on AWS)."""
    import boto3  # noqa: PLC0415 - about 25 MB, paid only by a server that signs for a domain

    credentials = boto3.Session().get_credentials()
    if credentials is None:
        raise ConfigError("SEARCH_AUTH=sigv4 but no AWS credentials were found (instance role?).")
    return credentials


class ThreadLocalAWS4Auth(requests.auth.AuthBase):
    """One AWS4Auth per thread: AWS4Auth mutates itself on every request and is not thread-safe."""

    def __init__(self, credentials, region, service):
        self.credentials, self.region, self.service = credentials, region, service
        self._local = threading.local()

    def __call__(self, request):
        auth = getattr(self._local, "auth", None)
        if auth is None:
            auth = self._local.auth = AWS4Auth(
                refreshable_credentials=self.credentials, region=self.region, service=self.service
            )
        return auth(request)


def _auth(config):
    mode = config["SEARCH_AUTH"]
    if mode == "sigv4":
        if not config["AWS_REGION"]:
            raise ConfigError("SEARCH_AUTH=sigv4 needs AWS_REGION (not derivable from this host).")
        return ThreadLocalAWS4Auth(aws_credentials(), config["AWS_REGION"], config["SEARCH_SERVICE"])
    if mode in ("none", "basic"):
        return None  # basic: opensearch-py takes user:password from the URL itself
    raise ConfigError(f"SEARCH_AUTH must be sigv4, none or basic, not {mode!r}.")


def make_client(config):
    """An opensearch-py client for SEARCH_URL; SigV4 needs the requests connection class."""
    url = config["SEARCH_URL"]
    if not urlsplit(url).hostname:
        raise ConfigError(f"SEARCH_URL {url!r} is not a URL like https://search-x.region.es.amazonaws.com")
    return OpenSearch(
        hosts=[url],
        http_auth=_auth(config),
        connection_class=RequestsHttpConnection,
        verify_certs=True,
        timeout=config.get("SEARCH_TIMEOUT", 10),
        max_retries=1,  # the shipper owns backoff; 429 is never retried by the transport
        pool_maxsize=config.get("SEARCH_POOL_SIZE", 16),
    )


def get_client(app):
    """This process's client, made on first use (after a gunicorn fork, never before)."""
    pid, client = app.extensions.get("opensearch", (None, None))
    if pid != os.getpid():
        with _lock:
            pid, client = app.extensions.get("opensearch", (None, None))
            if pid != os.getpid():
                client = make_client(app.config)
                app.extensions["opensearch"] = (os.getpid(), client)
    return client


def bulk_lines(doc, op="index"):
    """The two NDJSON lines indexing (or, with op="create", only creating) one document under its own _id."""
    return index_lines(doc.meta.id, doc.to_dict(), op)


def index_lines(doc_id, source, op="index"):
    """The two NDJSON lines indexing (or, with op="create", only creating) a plain dict under an _id."""
    return f"{SERIALIZER.dumps({op: {'_id': doc_id}})}\n{SERIALIZER.dumps(source)}\n".encode()


def delete_line(doc_id):
    """The NDJSON line deleting one document by _id."""
    return f"{SERIALIZER.dumps({'delete': {'_id': doc_id}})}\n".encode()


def update_lines(doc_id, fields, version=None):
    """The two NDJSON lines of a partial update: it changes a document, and never creates one.

    With version (seq_no, primary_term) it applies only to the document as it was then (else 409).
    """
    action = {"_id": doc_id}
    if version:
        action["if_seq_no"], action["if_primary_term"] = version
    return f"{SERIALIZER.dumps({'update': action})}\n{SERIALIZER.dumps({'doc': fields})}\n".encode()


def versions(client, alias, doc_ids):
    """{id: (seq_no, primary_term)} of the documents that exist now (one _mget, no sources)."""
    found = _read(client.mget, index=alias, body={"ids": list(doc_ids)}, _source=False, realtime=True) or {"docs": []}
    return {d["_id"]: (d["_seq_no"], d["_primary_term"]) for d in found["docs"] if d.get("found")}


def send_bulk(client, alias, body, require_alias=True):
    """POST a bulk body to /<alias>/_bulk; returns [(status, error or None)] in item order."""
    result = client.bulk(body=body, index=alias, require_alias=require_alias)
    items = [next(iter(item.values())) for item in result["items"]]
    return [(item["status"], item.get("error")) for item in items]


def delete_ids(client, alias, doc_ids, require_alias=True):
    """Delete documents by id (bulk delete actions: no DELETE verb); returns how many existed.

    Raises DomainUnavailable unless every delete was done or found nothing to delete (a
    write-blocked index during a reindex, a throttled item): the caller must try again.
    """
    body = b"".join(delete_line(i) for i in doc_ids)
    try:
        items = send_bulk(client, alias, body, require_alias)
    except TransportError as exc:
        raise unavailable(exc) from exc
    if failed := [(status, error) for status, error in items if status not in (200, 404)]:
        status, error = failed[0]
        raise DomainUnavailable(f"The search domain refused {len(failed)} deletion(s): {status} "
                                f"{(error or {}).get('type')} ({(error or {}).get('reason', '')[:200]}).")
    return sum(status == 200 for status, _ in items)


def unavailable(error):
    """A DomainUnavailable that says what the transport error was."""
    return DomainUnavailable(f"The search domain did not answer ({status_of(error) or error.error}).")


def status_of(error):
    """HTTP status of a transport error (None when no response arrived)."""
    status = getattr(error, "status_code", None)
    return status if isinstance(status, int) else None


def _read(call, **kwargs):
    """A read that answers None for a missing index or document, DomainUnavailable on failure."""
    try:
        return call(**kwargs)
    except NotFoundError:
        return None
    except TransportError as exc:
        raise unavailable(exc) from exc


def run_search(client, alias, body, vectors=False):
    """Send a search body to /<alias>/_search (the answers' vectors, heavy, only if asked); None before any answer."""
    return _read(client.search, index=alias, body=body, _source_excludes=None if vectors else "essay_vector")


def get_hit(client, alias, doc_id):
    """GET one document by id as a raw hit (without its vector), or None."""
    return _read(client.get, index=alias, id=doc_id, _source_excludes="essay_vector")


def get_aliases(client, index):
    """{index: its aliases} of the indices a name or pattern matches, or None."""
    return _read(client.indices.get_alias, index=index)


def refresh(client, alias):
    """Make every write so far visible to search; False where there is no _refresh (Serverless)."""
    try:
        client.indices.refresh(index=alias)
        return True
    except (NotFoundError, RequestError, AuthorizationException):  # aoss has no _refresh (400/403/404)
        return False
    except TransportError as exc:
        raise unavailable(exc) from exc


def reachable(client, alias):
    """True when the domain answers HEAD /<alias> (works on aoss, unlike GET /; inside <alias>*)."""
    try:
        client.indices.exists(index=alias, request_timeout=2)
        return True
    except TransportError:
        return False
