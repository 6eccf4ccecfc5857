"""Every journal write waits in the write lock, never in SQLite's busy handler: with that handler
switched off, sessions, the audit log, the shipper's claims and erasures all still wait their turn."""
import threading
import time

import pytest

from collector import create_app, journal
from collector.journal import audit, wipe
from collector.journal.writes import transaction
from collector.shipping import outbox
from tests.helpers import log_in, store


@pytest.fixture
def impatient(app_config):
    """(app, its test client) whose journal connection in this thread fails at once on a locked journal."""
    app = create_app(app_config)
    with app.app_context():
        journal.get_db().execute("PRAGMA busy_timeout = 0")
    return app, app.test_client()


def while_another_writer_holds_the_journal(app, action, seconds=0.3):
    """Run action while another thread is inside a write transaction; action's result."""
    inside, db = threading.Event(), journal.connect(app.config["JOURNAL_PATH"])

    def hold():
        with transaction(db):
            db.execute("INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, 'held')")
            inside.set()
            time.sleep(seconds)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    try:
        return action()
    finally:
        holder.join()
        db.close()


@pytest.mark.parametrize("writer", ["login", "audit", "claim", "erase"])
def test_writes_wait_for_the_lock_instead_of_failing_as_locked(impatient, writer):
    app, client = impatient
    doc_id = store(app, "an answer to claim or erase", state="pending")

    def act():
        if writer == "login":
            return log_in(client).status_code == 303
        with app.app_context():
            db = journal.get_db()
            if writer == "audit":
                return audit.log_action(db, "ada", "export.csv", 1, "all") > 0
            if writer == "claim":
                return [row["id"] for row in outbox.claim(db, 10, 60, time.time())] == [doc_id]
            return wipe.delete(db, app.config["JOURNAL_PATH"], [doc_id]) == 1

    assert while_another_writer_holds_the_journal(app, act)
