"""Search mode's workspace: records in the domain's `<alias>-workspace` index, shared by the fleet.

Sessions and caps are read through short caches (SESSION_CHECK_SECONDS, CAP_CHECK_SECONDS), so
a logout or a password change holds on every instance within those seconds, while a page view
costs at most one real-time GET. Tombstones are checked by id (_mget) before every shipment.
"""
import hashlib
import logging

import es_client
from collector import journal
from collector.common import clock
from collector.journal import audit
from collector.workspace.places import Places
from collector.workspace.records import Records
from collector.workspace.team import DomainTeam
from collector.workspace.tombstones import Tombstones

log = logging.getLogger("workspace")
TIDY_EVERY = 600  # seconds between one process's sweeps of ended sessions (at a login)


class DomainWorkspace(DomainTeam):
    """The workspace interface over records in the domain."""

    def __init__(self, app):
        self.records = Records(app)
        self.app = app
        self.session_ttl = app.config["SESSION_CHECK_SECONDS"]
        self.cap_ttl = app.config["CAP_CHECK_SECONDS"]
        self.sessions, self.counts = {}, {}  # caches: {key: (fetched at, value)}
        self.places = Places(self.records, self._count_indexed)
        self.tidied = -TIDY_EVERY
        self.tombstones = Tombstones(self.records, app.secret_key)
        # OpenSearch Serverless ignores ?refresh: a write is searchable only SEARCH_REFRESH_SECONDS later.
        self.read_after_write = app.config["SEARCH_SERVICE"] != "aoss"
        self.refresh_seconds = app.config["SEARCH_REFRESH_SECONDS"]

    def _session_id(self, token):
        return "session:" + hashlib.sha256(token.encode()).hexdigest()  # the cookie's secret stays out

    def session(self, token):
        """{name, fingerprint, started, seen} of a live session token, or None (cached briefly)."""
        key = self._session_id(token)
        now = clock.monotonic()
        fetched, record = self.sessions.get(key, (-1e9, None))
        if now - fetched > self.session_ttl:
            record = self.records.get(key)
            self.sessions[key] = (now, record)
        return record

    def start_session(self, token, name, fingerprint, now):
        """Record a new session in the domain."""
        record = {"kind": "session", "name": name, "fingerprint": fingerprint, "started": now, "seen": now}
        self.records.put(self._session_id(token), record, op_type="create")
        self.sessions[self._session_id(token)] = (clock.monotonic(), record)
        if clock.monotonic() - self.tidied > TIDY_EVERY:
            self._tidy_sessions(now)

    def _tidy_sessions(self, now):
        """Delete sessions that ended long ago (idle or past their lifetime); a failure waits for the next login."""
        self.tidied = clock.monotonic()
        idle = now - self.app.config["ANALYST_IDLE_MINUTES"] * 60
        ended = {"bool": {"filter": [{"term": {"kind": "session"}}], "minimum_should_match": 1, "should": [
            {"range": {"seen": {"lt": idle}}},
            {"range": {"started": {"lt": now - self.app.permanent_session_lifetime.total_seconds()}}}]}}
        try:
            hits = self.records.search({"query": ended, "size": 500, "_source": False})["hits"]["hits"]
            if hits:
                self.records.bulk(b"".join(es_client.delete_line(hit["_id"]) for hit in hits))
            for hit in hits:
                self.sessions.pop(hit["_id"], None)
        except es_client.DomainUnavailable as exc:
            log.warning("old sessions stay until the next login: %s", exc)

    def saw_session(self, token, now):
        """Note the session's latest activity (for the idle timeout)."""
        key = self._session_id(token)
        self.records.update(key, {"seen": now})
        self.sessions.pop(key, None)

    def end_session(self, token):
        """End a session on every instance (the others' caches drop it within SESSION_CHECK_SECONDS)."""
        key = self._session_id(token)
        self.records.delete(key)
        self.sessions.pop(key, None)

    def tombstone(self, doc_ids, email=None, keys=()):
        """Record an erasure for the fleet (see Tombstones.record)."""
        self.tombstones.record(doc_ids, email, keys)

    def erased_among(self, rows):
        """Ids of these journal or spill rows that some instance erased (by id, or by email since)."""
        return self.tombstones.among(rows)

    def was_erased(self, doc_id):
        """Whether some instance erased this answer."""
        return self.tombstones.holds(doc_id)

    def tombstones_since(self, since_ms, after=None):
        """A page of the tombstones recorded from `since_ms` on (see Tombstones.since)."""
        return self.tombstones.since(since_ms, after)

    def answers_elsewhere(self, survey):
        """The survey's answers in the index that this journal did not ship (cached; last known on failure)."""
        now = clock.monotonic()
        fetched, indexed = self.counts.get(survey, (-1e9, None))
        if now - fetched > self.cap_ttl:
            indexed = self._indexed(survey, indexed)
            self.counts[survey] = (now, indexed)
        return max(0, (indexed or 0) - journal.count_for_survey(survey, state="shipped"))

    def claim_place(self, survey, cap, doc_id):
        """One of a capped survey's places for this answer: True, False (full), None (the domain cannot say)."""
        return self.places.claim(survey, cap, doc_id)

    def _indexed(self, survey, known):
        try:
            return self._count_indexed(survey)
        except es_client.TransportError as exc:  # the respondent must not notice: the last count stands
            log.warning("cap count failed, the last known count stands: %s", exc)
            return known

    def _count_indexed(self, survey):
        body = {"query": {"term": {"survey": survey}}}
        try:
            client = es_client.get_client(self.app)
            return client.count(index=self.app.config["SEARCH_INDEX"], body=body, request_timeout=1)["count"]
        except es_client.NotFoundError:
            return 0

    def erasures(self):
        """How many erasures the fleet recorded (what a model trained on the answers depends on)."""
        found = self.records.search({"query": {"term": {"kind": "erased"}}, "size": 0, "track_total_hits": True})
        return found["hits"]["total"]["value"]

    def settle(self):
        """Make every workspace write so far searchable, where the domain can (False on Serverless)."""
        return es_client.refresh(es_client.get_client(self.app), self.records.index)

    def audit_entries(self, action=None, actor=None, limit=200):
        """The fleet's audit log, newest first; this instance's entries not yet shipped included."""
        wanted = [{"term": {"kind": "audit"}}] + [{"term": {k: v}} for k, v in (("action", action), ("actor", actor)) if v]
        body = {"query": {"bool": {"filter": wanted}}, "sort": [{"at": "desc"}, {"uid": "desc"}], "size": limit}
        hits = [hit["_source"] for hit in self.records.search(body)["hits"]["hits"]]
        local = [dict(row) for row in audit.unshipped(journal.get_db(), limit) if _matches(row, action, actor)]
        merged = {entry["uid"]: entry for entry in hits + local}
        return sorted(merged.values(), key=lambda entry: entry["at"], reverse=True)[:limit]

    def ship_audit(self, db):
        """A shipper step: send this journal's new and changed audit entries to the workspace index; how many."""
        rows = audit.unshipped(db, 500)
        if not rows:
            return 0
        lines = b"".join(es_client.index_lines(f"audit:{row['uid']}", audit_record(row)) for row in rows)
        try:
            items = self.records.bulk(lines)
        except es_client.DomainUnavailable as exc:
            log.warning("audit entries wait: %s", exc)
            return 0
        shipped = [(row["seq"], row["rev"]) for row, (status, _) in zip(rows, items) if status < 300]
        audit.mark_shipped(db, shipped)
        return len(shipped)


def audit_record(row):
    """A journal audit row as a workspace record."""
    fields = ("uid", "at", "actor", "role", "action", "count", "scope", "status")
    return {"kind": "audit", **{name: row[name] for name in fields}}


def _matches(row, action, actor):
    return (not action or row["action"] == action) and (not actor or row["actor"] == actor)
