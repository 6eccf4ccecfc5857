"""Ids a journal gives are never given again, and none is kept where it would name an erased answer:
tombstones hold a digest of the id (an older release's are rewritten, still honoured), and a journal
from before AUTOINCREMENT never gives a deleted code's id to a new code."""
import sqlite3
import uuid
from pathlib import Path

from collector import create_app, journal, workspace
from collector.coding import stores
from collector.shipping import outbox, shipper
from models import tombstone_key
from tests.helpers import store


def test_a_journal_from_before_digests_keeps_honouring_its_tombstones_without_the_ids(app_config, app):
    erased, owed = str(uuid.uuid4()), str(uuid.uuid4())
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    db.execute("INSERT INTO erased (id, at, recheck_after) VALUES (?, '2026-01-01T00:00:00+00:00', 0)", (erased,))
    db.execute("INSERT INTO erased (id, at, recheck_after) VALUES (?, '2026-01-01T00:00:00+00:00', 99)", (owed,))
    db.commit()
    upgraded = create_app(app_config)  # the next start brings the journal up to date
    rows = dict(db.execute("SELECT id, recheck_id FROM erased").fetchall())
    assert rows == {tombstone_key(erased): None, tombstone_key(owed): owed}  # an owed re-delete keeps its id
    with upgraded.app_context():
        assert set(outbox.erased_among(journal.get_db(), [erased, owed, str(uuid.uuid4())])) == {erased, owed}
        assert outbox.tombstones_due(journal.get_db(), 100) == [owed]


def test_an_older_releases_tombstone_in_the_fleet_is_rewritten_as_a_digest_and_still_stops_a_shipment(search_app,
                                                                                                      domain):
    doc_id = store(search_app, "erased by an instance of the older release", state="pending")
    with search_app.app_context():
        records = workspace.WORKSPACE.of(search_app).records
        records.put(f"erased:{doc_id}", {"kind": "erased", "at": "2026-01-01T00:00:00+00:00"}, refresh="true")
        outcome = shipper.SHIPPER.of(search_app).drain(journal.get_db(), 10**10)
        assert outcome.shipped == 0 and journal.fetch(doc_id) is None
        records.client.indices.refresh(index=records.index)
        assert records.get(f"erased:{doc_id}") is None and records.get(f"erased:{tombstone_key(doc_id)}")


def test_a_journal_from_before_never_reuses_the_id_of_a_code_deleted_there(app_config):
    data = Path(app_config["DATA_DIR"])
    data.mkdir(parents=True)
    # codes 1 and 2 stand; 7 was deleted, yet its batch names it
    db = sqlite3.connect(data / "journal.sqlite3")
    db.executescript("""
        CREATE TABLE codes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                            description TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL, created_at TEXT NOT NULL);
        INSERT INTO codes (id, name, created_by, created_at) VALUES (1, 'One', 'ada', 't'), (2, 'Two', 'ada', 't');
        CREATE TABLE code_batches (id INTEGER PRIMARY KEY, code_id INTEGER NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
                                   params TEXT NOT NULL, applied INTEGER NOT NULL, undone_at TEXT, undone_by TEXT);
        INSERT INTO code_batches VALUES (1, 7, 'ada', 't', '[]', 0, NULL, NULL);""")
    db.close()
    app = create_app(app_config)
    with app.test_request_context():
        made = stores.current().create_code("Three", "", "ada")
        assert made["id"] == 8 and stores.current().code_by_id(1)["name"] == "One"
