"""A shipper step: the answers' vectors go to the index as partial updates, once the answers are there.

The background embedder (collector/meaning) writes each answer's vector into the journal; this step
sends those the index lacks, SHIP_VECTORS a pass, to `essay_vector`. An index made before vectors
existed has no such field (only a new index can have `index.knn`): then nothing is sent, and the
vectors wait for `flask reindex`, looked for again every RECHECK_SECONDS.
"""
import logging

import es_client
from collector.common import clock
from collector.meaning import vectors
from collector.shipping import indices, shipper
from models import VECTOR_FIELD

log = logging.getLogger("shipper")
SHIP_VECTORS = 500
RECHECK_SECONDS = 60


def init_app(app):
    """In search mode (where the index can hold vectors), a shipper step after each pass's claim."""
    if shipper.SHIPPER.find(app) and indices.wants_vectors(app.config):
        shipper.SHIP_STEPS.append(app, VectorShipping(app))


class VectorShipping:
    """The shipper step that sends vectors."""

    def __init__(self, app):
        self.app = app
        self.alias = app.config["SEARCH_INDEX"]
        self.index_holds = None
        self.looked_at = -RECHECK_SECONDS

    def __call__(self, db):
        """Send up to SHIP_VECTORS waiting vectors; how many the index took."""
        waiting = vectors.unshipped(db, SHIP_VECTORS)
        if not waiting or not self._index_holds_vectors():
            return 0
        body = b"".join(es_client.update_lines(doc_id, {VECTOR_FIELD: vector.tolist()}) for doc_id, vector in waiting)
        try:
            items = es_client.send_bulk(es_client.get_client(self.app), self.alias, body)
        except es_client.TransportError as exc:
            log.warning("vectors wait: %s", es_client.status_of(exc) or exc.__class__.__name__)
            return 0
        # Taken, or the answer is not in the index (erased meanwhile): either way, nothing more to send.
        done = [(doc_id, vector) for (doc_id, vector), (status, _) in zip(waiting, items) if status in (200, 404)]
        vectors.mark_shipped(db, done)
        return len(done)

    def _index_holds_vectors(self):
        if self.index_holds is None or (not self.index_holds and clock.monotonic() - self.looked_at > RECHECK_SECONDS):
            self.looked_at = clock.monotonic()
            try:
                client = es_client.get_client(self.app)
                self.index_holds = bool(indices.current_index(client, self.alias)) and indices.holds_vectors(
                    client, self.alias)
            except es_client.TransportError:
                return False
            if not self.index_holds:
                log.warning("the index cannot hold vectors (made before them): run `flask reindex`")
        return self.index_holds
