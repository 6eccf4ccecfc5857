"""The team, in either store: who an admin gave which role, and who has signed in at the load balancer.

Part of the workspace interface: `team()` is {name: granted role or None}, `grant_role(name,
role, actor)` sets or (role None) clears a grant, `note_person(name)` remembers someone who
signed in. A fleet keeps the whole team in one workspace record, read through the same short
cache as sessions, so a grant holds on every instance within SESSION_CHECK_SECONDS.
"""
import logging

import es_client
from collector import journal
from collector.common import clock
from collector.journal import audit
from collector.journal.writes import transaction, write
from collector.workspace.versioned import change_one

TEAM_ID = "team"
log = logging.getLogger("workspace")


def _audit(db, actor, name, role):
    audit.log_action(db, actor, "role.grant" if role else "role.clear", 0, f"person:{name}->{role or 'as configured'}")


class LocalTeam:
    """The team in the journal's `team` table (embedded mode)."""

    def team(self):
        """{name: granted role or None} of everyone the team table knows."""
        return dict(journal.get_db().execute("SELECT name, role FROM team").fetchall())

    def grant_role(self, name, role, actor):
        """Give name this role (None: back to what their account or groups say)."""
        db = journal.get_db()
        with transaction(db):
            db.execute("INSERT INTO team (name, role, granted_by, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) "
                       "DO UPDATE SET role = ?2, granted_by = ?3, at = ?4", (name, role, actor, clock.stamp()))
            _audit(db, actor, name, role)

    def note_person(self, name):
        """Remember someone who signed in (no grant)."""
        write(journal.get_db(), "INSERT OR IGNORE INTO team (name, at) VALUES (?, ?)", (name, clock.stamp()))


class DomainTeam:
    """The team as one workspace record in the domain (search mode); needs self.records and self.session_ttl."""

    cached_team = (-1e9, {})

    def team(self):
        """{name: granted role or None} (cached for SESSION_CHECK_SECONDS; the last known while the domain is down)."""
        fetched, people = self.cached_team
        if clock.monotonic() - fetched > self.session_ttl:
            try:
                record = self.records.get(TEAM_ID)
            except es_client.DomainUnavailable as exc:  # the page itself answers 503 if it needs the domain
                log.warning("the team's grants could not be read, the last known stand: %s", exc)
                return people
            people = {name: entry.get("role") for name, entry in ((record or {}).get("data") or {}).items()}
            self.cached_team = (clock.monotonic(), people)
        return people

    def _change_team(self, name, entry):
        def change(source):
            source = source or {"kind": "team", "data": {}}
            if name in source["data"] and entry.get("role", "keep") == "keep":
                return None  # noting someone already known changes nothing
            source["data"][name] = {**source["data"].get(name, {}), **entry}
            return source
        after, _ = change_one(self.records, TEAM_ID, change)
        self.cached_team = (clock.monotonic(), {person: got.get("role") for person, got in after["data"].items()})

    def grant_role(self, name, role, actor):
        """Give name this role (None: back to what their account or groups say), for the whole fleet."""
        self._change_team(name, {"role": role, "granted_by": actor, "at": clock.stamp()})
        _audit(journal.get_db(), actor, name, role)

    def note_person(self, name):
        """Remember someone who signed in (no grant); tried again at their next request when the domain is down."""
        try:
            self._change_team(name, {"at": clock.stamp()})
        except es_client.DomainUnavailable as exc:
            log.warning("%s is not in the team record yet: %s", name, exc)
