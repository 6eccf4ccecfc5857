"""The workspace index in the domain: one strict-mapped `<alias>-workspace` index, a `kind` per record.

Records are read by id (GET/_mget are real-time, unlike search) wherever the answer must be
current, and changed with optimistic concurrency (if_seq_no/if_primary_term) or with ids that
make a write idempotent. Failures surface as es_client.DomainUnavailable, so analyst pages answer 503.
"""
import copy

from flask import g, has_request_context

import es_client
from collector.common import clock

WRITES = frozenset({"index", "update", "bulk"})  # the client calls that change records
RETRY_PAUSES = (0.1, 0.3, 0.6, None)  # seconds before trying a 503 again (at most 1 s in all); None: give up
KEYWORD = {"type": "keyword", "ignore_above": 1024}
PROPERTIES = {
    "kind": {"type": "keyword"},
    "at": {"type": "date"},
    "name": KEYWORD, "fingerprint": KEYWORD,  # sessions
    "started": {"type": "double"}, "seen": {"type": "double"},
    # audit
    "actor": KEYWORD, "action": KEYWORD, "scope": KEYWORD, "status": KEYWORD, "count": {"type": "long"},
    "uid": KEYWORD, "role": KEYWORD,
    "answer": KEYWORD, "codes": KEYWORD, "removed": KEYWORD, "batches": KEYWORD,  # codings (code ids)
    "text": {"type": "text"},  # a memo's words, searched by analysts
    "folded": {"type": "text"},  # ... without accents (Äpfel is found by apfel)
    "data": {"type": "object", "enabled": False},  # kept, never searched: a codebook, a batch's details
}
BODY = {"settings": {"index": {"number_of_shards": 1}},
        "mappings": {"dynamic": "strict", "properties": PROPERTIES}}


def index_name(alias):
    """The workspace index beside the answers' alias (inside the role's `<alias>*` resource)."""
    return f"{alias}-workspace"


class Records:
    """Reads and writes of workspace records, through the app's signed client."""

    def __init__(self, app):
        self.app = app
        self.index = index_name(app.config["SEARCH_INDEX"])
        self.ready = False

    @property
    def client(self):
        return es_client.get_client(self.app)

    def call(self, method, **kwargs):
        """One client call on the workspace index (made on first use); es_client.DomainUnavailable when it fails."""
        reads = self._reads()
        if method in WRITES and reads:
            reads.clear()
        for pause in RETRY_PAUSES:
            try:
                if not self.ready:
                    self._ensure()
                return getattr(self.client, method)(index=self.index, **kwargs)
            except es_client.TransportError as exc:
                if es_client.status_of(exc) != 503 or pause is None:
                    raise es_client.DomainUnavailable(f"The workspace in the search domain did not answer "
                                            f"({es_client.status_of(exc) or exc.error}).") from exc
                clock.sleep(pause)  # a shard starting (a new index, a blue/green change): it comes back soon

    def _ensure(self):
        try:
            self.client.indices.create(index=self.index, body=BODY)
        except es_client.RequestError as exc:  # another process made it a moment ago: its shard may
            if "resource_already_exists_exception" not in str(exc.error):  # still be starting (503s, retried)
                raise
            # fields added since
            self.client.indices.put_mapping(index=self.index, body={"properties": PROPERTIES})
        self.ready = True

    def _reads(self):
        """This request's records read by id, until its first write (a page asked for the codebook up to a
        dozen times, each a round trip to the domain); None outside a request, where every read goes to the
        domain."""
        if not has_request_context():
            return None
        return g.setdefault("workspace_reads", {}).setdefault(self.index, {})

    def get(self, record_id):
        """One record's source, or None (read once a request: later reads get a copy of it)."""
        reads = self._reads()
        if reads is not None and record_id in reads:
            return copy.deepcopy(reads[record_id])
        try:
            source = self.call("get", id=record_id)["_source"]
        except es_client.DomainUnavailable as exc:
            if not isinstance(exc.__cause__, es_client.NotFoundError):
                raise
            source = None
        if reads is not None:
            reads[record_id] = copy.deepcopy(source)
        return source

    def existing(self, record_ids):
        """{id: source} of those records that exist (one real-time _mget)."""
        if not record_ids:
            return {}
        found = self.call("mget", body={"ids": list(record_ids)}, realtime=True)
        return {doc["_id"]: doc["_source"] for doc in found["docs"] if doc.get("found")}

    def versioned(self, record_ids):
        """{id: (source, (seq_no, primary_term))} of those records that exist (one real-time _mget)."""
        found = self.call("mget", body={"ids": list(record_ids)}, realtime=True) if record_ids else {"docs": []}
        return {doc["_id"]: (doc["_source"], (doc["_seq_no"], doc["_primary_term"]))
                for doc in found["docs"] if doc.get("found")}

    def put(self, record_id, source, **options):
        """Index one record under its id (options: op_type, if_seq_no, if_primary_term, refresh)."""
        return self.call("index", id=record_id, body=source, **options)

    def create(self, record_id, source):
        """Create a record unless one with this id exists; True when this call created it."""
        try:
            self.call("index", id=record_id, body=source, op_type="create")
            return True
        except es_client.DomainUnavailable as exc:
            if es_client.status_of(exc.__cause__) == 409:
                return False
            raise

    def update(self, record_id, fields):
        """Change some fields of an existing record (no-op when it is gone)."""
        try:
            self.call("update", id=record_id, body={"doc": fields}, retry_on_conflict=3)
        except es_client.DomainUnavailable as exc:
            if not isinstance(exc.__cause__, es_client.NotFoundError):
                raise

    def delete(self, record_id):
        """Remove one record (no error when it is gone), as a bulk action: the role has no DELETE verb."""
        ((status, error),) = self.bulk(es_client.delete_line(record_id))
        if status not in (200, 404):
            raise es_client.DomainUnavailable(f"The workspace in the search domain did not delete a record ({status}).")

    def bulk(self, lines, refresh=False):
        """Send NDJSON bulk lines to the workspace index ([(status, error)] per item); searchable at once with refresh."""
        result = self.call("bulk", body=lines, refresh="true" if refresh else "false")
        return [(item["status"], item.get("error")) for item in (next(iter(i.values())) for i in result["items"])]

    def search(self, body):
        """Search the workspace records (near real-time); the raw response."""
        return self.call("search", body=body)

    def search_if_any(self, body):
        """search, without making the index: none yet means no records (a shipper pass before any erasure)."""
        if self.ready:
            return self.search(body)
        try:
            return self.client.search(index=self.index, body=body)
        except es_client.NotFoundError:
            return {"hits": {"hits": []}}
        except es_client.TransportError as exc:
            raise es_client.DomainUnavailable(f"The workspace did not answer ({es_client.status_of(exc)}).") from exc
