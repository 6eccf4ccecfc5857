"""Search mode on a domain without read-after-write: OpenSearch Serverless makes a write searchable only
a refresh interval (SEARCH_REFRESH_SECONDS) later, so a change that finds the answers it touches by a
search (deleting, merging or renaming a code) cannot see codings made in those last seconds.

Each such change leaves a `followup:` record. A shipper step on any instance finds it by search, which
it can only once the interval has passed, exactly when the codings written before it are searchable too,
and does the change again for them; each is safe to do twice. A domain that makes writes searchable at
once (refresh) needs none."""
import logging
import uuid

import es_client
from collector.coding import index_sync
from collector.common import clock
from collector.journal import get_db
from collector.workspace.versioned import change_one

log = logging.getLogger("coding")


class FleetFollowUps:
    """Follow-ups (mixed into FleetCoding, which provides records, codings and the merge's move)."""

    def looks_again_after(self):
        """Seconds until a change that searched looks again, or None where every write is searchable at once."""
        return None if self.workspace.read_after_write else self.workspace.refresh_seconds

    def look_again(self, action, **args):
        """Do `action` again once every write so far is searchable (nothing where it already is)."""
        if self.looks_again_after() is not None:
            self.records.put(f"followup:{uuid.uuid4().hex}", {"kind": "followup", "at": clock.stamp(),
                                                               "data": {"action": action, **args}})

    def follow_up(self, db=None):
        """A shipper step: the changes left to do again, now that they can see what they missed; how many."""
        if self.looks_again_after() is None:  # this fleet's domain leaves none
            return 0
        try:
            hits = self.records.search_if_any({"query": {"term": {"kind": "followup"}}, "size": 100})["hits"]["hits"]
            for hit in hits:
                data = dict(hit["_source"]["data"])
                getattr(self, f"_again_{data.pop('action')}")(**data)
                self.records.delete(hit["_id"])
        except es_client.DomainUnavailable as exc:  # still recorded: the next pass, on any instance
            log.warning("follow-ups wait: %s", exc)
            return 0
        return len(hits)

    def _again_delete(self, code):
        """A deleted code leaves the answers coded with it just before."""
        self.change_answers(list(self.answers_with("codes", code)),
                            lambda entries, removed, _: entries.pop(code, None) is not None)

    def _again_rename(self, code):
        """The index learns a renamed code's name on the answers coded with it just before."""
        index_sync.queue_ids(get_db(), list(self.answers_with("codes", code)))

    def _again_merge(self, merge):
        """A merged code's codings made just before move too, and its undo gives them back."""
        record = self.records.get(f"merge:{merge}")
        if not record or record["data"]["undone_at"]:
            return
        entries = {}
        moved = {}
        self.change_answers(list(self.answers_with("codes", record["data"]["source"])),
                            self.mover(record["data"]["source"], record["data"]["target"], entries, moved))

        def add(source):
            source["data"]["entries"].update(entries)
            source["data"]["moved"] += [answer for answer, gained in moved.items() if gained]
            return source
        if entries:
            change_one(self.records, f"merge:{merge}", add)
