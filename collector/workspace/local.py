"""Embedded mode's workspace: the journal's own tables (one instance holds everything)."""
from collector import journal
from collector.journal import audit
from collector.journal.writes import transaction, write
from collector.workspace.team import LocalTeam


class LocalWorkspace(LocalTeam):
    """The workspace interface over the journal's tables."""

    def __init__(self, app):
        self.idle = app.config["ANALYST_IDLE_MINUTES"] * 60
        self.lifetime = app.permanent_session_lifetime.total_seconds()

    def session(self, token):
        """{name, fingerprint, started, seen} of a live session token, or None."""
        row = journal.get_db().execute("SELECT name, fingerprint, started, seen FROM analyst_sessions "
                                       "WHERE token = ?", (token,)).fetchone()
        return dict(row) if row else None

    def start_session(self, token, name, fingerprint, now):
        """Record a new session (and tidy away those that ended long ago)."""
        db = journal.get_db()
        with transaction(db):
            db.execute("DELETE FROM analyst_sessions WHERE seen < ? OR started < ?",
                       (now - self.idle, now - self.lifetime))
            db.execute("INSERT INTO analyst_sessions (token, name, fingerprint, started, seen) "
                       "VALUES (?, ?, ?, ?, ?)", (token, name, fingerprint, now, now))

    def saw_session(self, token, now):
        """Note the session's latest activity (for the idle timeout)."""
        write(journal.get_db(), "UPDATE analyst_sessions SET seen = ? WHERE token = ?", (now, token))

    def end_session(self, token):
        """End a session for every copy of its cookie."""
        write(journal.get_db(), "DELETE FROM analyst_sessions WHERE token = ?", (token,))

    def tombstone(self, doc_ids, email=None):
        """Nothing to add: the journal's own erasure already keeps its rows from shipping."""

    def erased_among(self, rows):
        """No other instance can have erased these rows."""
        return set()

    def was_erased(self, doc_id):
        """Whether this answer was erased (its tombstone)."""
        found = journal.get_db().execute("SELECT 1 FROM erased WHERE id = tombstone_key(?)", (doc_id,)).fetchone()
        return found is not None

    def erasures(self):
        """How many answers were ever erased (what a model trained on the answers depends on)."""
        return journal.get_db().execute("SELECT count(*) FROM erased").fetchone()[0]

    def claim_place(self, survey, cap, doc_id):
        """One instance: the journal's own count, inside the insert, decides."""
        return None

    def answers_elsewhere(self, survey):
        """One instance: every answer is in this journal."""
        return 0

    def settle(self):
        """Every write is visible at once in the journal."""

    def audit_entries(self, action=None, actor=None, limit=200):
        """The audit log, newest first, filtered by action and analyst."""
        return audit.latest(journal.get_db(), action, actor, limit)
