"""Tombstones name no answer: the journal and the fleet keep a digest of an erased answer's id, and
tombstones written by an older release (the id itself) are rewritten as digests, still honoured."""
import sqlite3
import uuid

from collector import create_app, journal
from collector.shipping import outbox
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
        records = search_app.extensions["workspace"].records
        records.put(f"erased:{doc_id}", {"kind": "erased", "at": "2026-01-01T00:00:00+00:00"}, refresh="true")
        outcome = search_app.extensions["shipper"].drain(journal.get_db(), 10**10)
        assert outcome.shipped == 0 and journal.fetch(doc_id) is None
        records.client.indices.refresh(index=records.index)
        assert records.get(f"erased:{doc_id}") is None and records.get(f"erased:{tombstone_key(doc_id)}")
