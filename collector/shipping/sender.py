"""One bulk sender, shared by the shipper and the spill drain: chunks under the byte bound, one
signed `_bulk` to the alias, each item's fate, the index made or extended on first use, and the
pause after a failed request (longer each time in a row)."""
import logging
import random
from dataclasses import dataclass, fields

import es_client
import models
from collector import journal, surveys, workspace
from collector.common import clock, lifecycle
from collector.journal import wipe
from collector.shipping import bulks, indices, outbox
from collector.shipping.hints import forbidden_hint

log = logging.getLogger("shipper")
RETRY = {429, 500, 502, 503, 504}
OUTDATED_RECHECK_SECONDS = 60.0  # an index from an earlier release is looked at again: `reindex` may replace it
PAUSE_CAP = 60.0  # longest wait after failed requests: a fixed policy or a recovered domain is seen within a minute


def backoff(attempts, base=1.0, cap=300.0):
    """Seconds before the next try: exponential in attempts, capped, with full jitter."""
    return random.uniform(0.5, 1.0) * min(cap, base * 2 ** min(attempts, 20))


@dataclass
class Outcome:
    """What one pass achieved."""

    shipped: int = 0
    retried: int = 0
    dead: int = 0
    error: str | None = None

    def add(self, other):
        """Count another pass's results into this one (its error, if any, is the latest)."""
        for name in (f.name for f in fields(self) if f.name != "error"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.error = other.error or self.error

    @property
    def moved(self):
        """Whether the pass did anything at all."""
        return bool(self.shipped or self.retried or self.dead)


def reason_for(status, error):
    """A dead letter's or a retry's reason, from a bulk item's error."""
    if not error:
        return None
    return f"{status} {error.get('type')}: {error.get('reason')}"[:500]


class BulkSender:
    """Sends chunks of (key, bulk lines) to /<alias>/_bulk for one process."""

    def __init__(self, app):
        self.app = app
        self.alias = app.config["SEARCH_INDEX"]
        self.max_bytes = app.config["SHIP_MAX_BYTES"]
        self.parallel = app.config["SHIP_PARALLEL"]
        self.vectors = indices.wants_vectors(app.config)
        self.index_ready = False
        self.outdated = False  # the index was made by a release before the current analysis: send the old form
        self.recheck_at = 0.0  # when to look at an outdated index again
        self.domain_failing = False  # the last bulk request failed as a whole
        self.failures, self.paused_until = 0, 0.0  # whole requests failed in a row, and until when to wait

    def ready(self, outcome):
        """Make or extend the index before documents are encoded for it; False (and a pause) if the domain failed."""
        if self.index_ready and not (self.outdated and clock.now() >= self.recheck_at):
            return True
        try:
            self.prepare_index(es_client.get_client(self.app))
        except Exception as exc:  # as a failed bulk request: every row waits
            outcome.error = self._whole_request_failed(exc, 0)
            self.domain_failing = True
            return False
        return True

    def source(self, row, codes=()):
        """A journal row as the index takes it, with its codes: the indexed form, or the answer as given for
        an index that predates it."""
        source = {**journal.to_source(row), "codes": list(codes)}
        return models.from_index(models.to_index(source)) if self.outdated else models.to_index(source)

    def post(self, chunk):
        """POST one chunk of (key, bulk lines); (each item's (status, error), None), or (None, the exception)."""
        try:
            return es_client.send_bulk(es_client.get_client(self.app), self.alias,
                                       b"".join(lines for _, lines in chunk)), None
        except Exception as exc:  # any failure of the whole request leaves every row pending
            return None, exc

    def chunks(self, encoded):
        """(key, bulk lines) pairs as bodies of an even share of the batch each, none over max_bytes."""
        return list(bulks.chunks(encoded, self.max_bytes, self.parallel))

    def settle(self, chunk, outcome, items, exc):
        """Count a request's result in (a failure pauses the sender); its items, or None when it failed."""
        if exc is not None:
            outcome.error = self._whole_request_failed(exc, len(chunk))
            self.domain_failing = True
            return None
        self.domain_failing = False
        self.failures = 0
        log.info("shipped batch", extra={"event": "bulk", "docs": len(chunk)})
        return items

    def prepare_index(self, client):
        """Make the index if there is none; add new questions' fields, but never let that stop shipping."""
        kinds = surveys.SURVEYS.of(self.app).field_kinds()
        if not indices.current_index(client, self.alias):
            indices.ensure_index(client, self.alias, kinds, self.vectors)  # with every field: nothing to add
            self.index_ready = True
            return
        self.outdated = bool(indices.outdated_analysis(client, self.alias))
        self.recheck_at = clock.now() + OUTDATED_RECHECK_SECONDS
        try:
            added, conflicting = indices.add_answer_fields(client, self.alias, kinds, self.vectors)
        except Exception as exc:  # answers ship anyway: unknown fields stay in _source, unindexed
            log.warning("could not add answer fields (run init-index): %s", exc.__class__.__name__)
        else:
            if added or conflicting:
                log.info("answer fields", extra={"event": "mapping", "added": added, "conflicting": conflicting})
        self.index_ready = True

    def _whole_request_failed(self, exc, count):
        """Log what failed (a 403's remedy once per run of failures) and pause, longer each time in a row."""
        status = es_client.status_of(exc.__cause__ if isinstance(exc, es_client.DomainUnavailable) else exc)
        if status == 403 and not self.failures:
            log.error(forbidden_hint(self.app.config))
        elif status == 413 and count > 1:
            self.max_bytes = max(64 * 1024, self.max_bytes // 2)  # the domain's limit is lower than ours
        elif status != 403:
            log.warning("bulk request failed: %s", exc.__class__.__name__)
        self.failures += 1
        self.paused_until = clock.now() + backoff(self.failures, cap=PAUSE_CAP)
        return f"{status or 'no response'}: {exc.__class__.__name__}"

    def fate(self, status, error):
        """What a bulk item's status means: 'shipped', 'retry' (later, with backoff) or 'dead'."""
        if status in (200, 201):
            return "shipped"
        if status in RETRY or status == 404:  # 404: the alias vanished; bootstrap again
            self.index_ready = self.index_ready and status != 404
            return "retry"
        if error and error.get("type") == "cluster_block_exception":  # write-blocked (a reindex, a full disk)
            return "retry"
        return "dead"

    def without_erased(self, db, rows, outcome):
        """The rows no instance of the fleet erased; erased ones are wiped from this journal too.
        None when the domain cannot say (a failed request, as a failed bulk: nothing is sent)."""
        try:
            gone = workspace.of(self.app).erased_among(rows) if rows else set()
        except es_client.DomainUnavailable as exc:
            outcome.error = self._whole_request_failed(exc, len(rows))
            self.domain_failing = True
            return None
        if gone:
            wipe.delete(db, self.app.config["JOURNAL_PATH"], sorted(gone))
            log.info("erased elsewhere", extra={"event": "erased_elsewhere", "docs": len(gone)})
        return [row for row in rows if row["id"] not in gone]

    def bury_ghosts(self, db, shipped):
        """Erase again what was erased (here or anywhere in the fleet) while these rows were on their way:
        from this journal (a row erased elsewhere by email stays here otherwise) and from the index."""
        if not shipped:
            return
        try:
            ghosts = set(outbox.erased_among(db, [row["id"] for row in shipped]))
            ghosts = sorted(ghosts | workspace.of(self.app).erased_among(shipped))
        except es_client.DomainUnavailable as exc:  # rare: the domain took the batch just now
            log.warning("could not check the batch against erasures: %s", exc)
            return
        if ghosts:
            wipe.delete(db, self.app.config["JOURNAL_PATH"], ghosts)
            try:
                es_client.delete_ids(es_client.get_client(self.app), self.alias, ghosts)
            except es_client.DomainUnavailable:
                outbox.recheck_later(db, ghosts, clock.now())  # every store forgets them again next pass

    def delete_erased_again(self, db):
        """Forget again what an erasure raced with or could not finish, in every registered store (the
        index above all), even if the process that erased died."""
        due = outbox.tombstones_due(db, clock.now())
        if not due:
            return
        try:
            with self.app.app_context():
                lifecycle.forget(self.app, due)
        except es_client.DomainUnavailable:
            return  # still due: next pass
        outbox.tombstones_checked(db, due)
        wipe.scrub(db, self.app.config["JOURNAL_PATH"], wait_ms=500)  # the ids kept for this leave the disk too
        log.info("erased again", extra={"event": "tombstones", "docs": len(due)})
