"""Unfinished answers to a paged survey, kept server-side under a random resume token, in one of two
homes: the journal (embedded) or the workspace (`draft:<token>`, search mode), so that any instance
of a fleet resumes a draft, and a restart loses none. A draft is not an answer: it is never searched,
shipped or counted, and it is deleted once finished, or after DRAFT_DAYS untouched."""
import json
import logging
import secrets

from flask import current_app

import es_client
from collector import workspace
from collector.common import clock
from collector.common.slots import Slot
from collector.journal import get_db
from collector.journal.writes import transaction

DRAFTS = Slot("drafts")

log = logging.getLogger("drafts")


def new_token():
    """A resume token: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


# What a draft may hold beside its answers: its language, when its first page was opened (the spam timer
# measures the whole survey, not its last page), the answer it changes and that answer's email.
EXTRA = ("language", "started", "edit_of", "email", "at_end")


def _cutoff():
    """Drafts untouched since before this are expired."""
    return clock.now() - current_app.config["DRAFT_DAYS"] * 86400


def _expired(touched):
    return touched < _cutoff()


class JournalDrafts:
    """Drafts in the journal's drafts table."""

    def get(self, token):
        """{token, survey, page, answers, hidden, created_at}, or None (unknown or expired)."""
        row = get_db().execute("SELECT * FROM drafts WHERE token = ?", (token,)).fetchone()
        if row is None or _expired(row["touched"]):
            return None
        return {key: row[key] for key in row.keys() if key != "extra"} | json.loads(row["extra"]) | {
            "answers": json.loads(row["answers"]), "hidden": json.loads(row["hidden"])}

    def put(self, draft):
        """Save a draft (made or changed), and wipe the ones DRAFT_DAYS untouched."""
        db = get_db()
        with transaction(db):
            db.execute("INSERT OR REPLACE INTO drafts (token, survey, page, answers, hidden, created_at, touched, extra) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (draft["token"], draft["survey"], draft["page"],
                                                           json.dumps(draft["answers"]), json.dumps(draft["hidden"]),
                                                           draft.get("created_at") or clock.stamp(), clock.now(),
                                                           json.dumps({k: draft[k] for k in EXTRA if draft.get(k)})))
            db.execute("DELETE FROM drafts WHERE touched < ?", (_cutoff(),))

    def delete(self, token):
        """A finished (journalled) draft goes."""
        db = get_db()
        with transaction(db):
            db.execute("DELETE FROM drafts WHERE token = ?", (token,))


class FleetDrafts:
    """Drafts as workspace records, shared by every instance."""

    EXPIRE_EVERY = 3600  # seconds between this process's sweeps of old drafts

    def __init__(self, app):
        self.records = workspace.of(app).records
        self.swept = clock.monotonic()  # not in an instance's first pass

    def get(self, token):
        """{token, survey, page, answers, hidden, created_at}, or None (unknown or expired)."""
        source = self.records.get(f"draft:{token}")
        if not source or source.get("kind") != "draft" or _expired(source["started"]):
            return None
        return source["data"]

    def put(self, draft):
        """Save a draft (made or changed); old ones are wiped by a shipper step (expire)."""
        data = dict(draft, created_at=draft.get("created_at") or clock.stamp())
        self.records.put(f"draft:{draft['token']}", {"kind": "draft", "started": clock.now(), "data": data,
                                                     **({"answer": draft["edit_of"]} if draft.get("edit_of") else {})})

    def delete(self, token):
        """A finished (journalled) draft goes."""
        self.records.delete(f"draft:{token}")

    def forget_edits(self, answer_ids, emails=()):
        """Erased answers: the changes begun on them go too (they hold the answer's text and email)."""
        body = {"query": {"bool": {"filter": [{"term": {"kind": "draft"}}, {"terms": {"answer": list(answer_ids)}}]}},
                "size": 1000, "_source": False}
        for hit in self.records.search(body)["hits"]["hits"]:
            self.records.delete(hit["_id"])

    def expire(self, db=None):
        """Delete the drafts DRAFT_DAYS untouched (a shipper step on any instance, at most hourly)."""
        if clock.monotonic() - self.swept < self.EXPIRE_EVERY:
            return
        self.swept = clock.monotonic()
        body = {"query": {"bool": {"filter": [{"term": {"kind": "draft"}}, {"range": {"started": {"lt": _cutoff()}}}]}},
                "size": 1000, "_source": False}
        try:
            for hit in self.records.search(body)["hits"]["hits"]:
                self.records.delete(hit["_id"])
        except es_client.DomainUnavailable as exc:
            # the shipper's pass goes on; old drafts wait for the next sweep
            log.warning("old drafts wait: %s", exc)


def init_app(app, store):
    """Keep the app's drafts store (built for the mode by the composition root)."""
    DRAFTS.put(app, store)


def current():
    """The current app's drafts store."""
    return DRAFTS.of()
