"""Erasure removes every trace of a respondent from journal, FTS index and search index."""
import glob
import sqlite3
import threading
import time

import es_client
from collector import create_app, journal
from collector.analyst import erasure
from collector.shipping import indices, outbox, shipper
from models import receipt_for
from tests.helpers import drain, store, wait_until

EMAIL = "erase.me@example.org"


def raw_bytes(app):
    """Everything SQLite has on disk for the journal (database and WAL)."""
    return b"".join(open(p, "rb").read() for p in glob.glob(app.config["JOURNAL_PATH"] + "*"))


def test_erasure_by_email_leaves_no_trace_in_journal_or_fts(app, analyst):
    for n in range(3):
        store(app, f"my zanzibarish story {n}", email=EMAIL)
    keep = store(app, "someone else entirely", email="keep@example.org")
    assert EMAIL.encode() in raw_bytes(app)
    found = analyst.post("/analyst/erase", data={"email": EMAIL}).get_data(as_text=True)
    assert "3 answers will be erased" in found
    # which ones
    assert all(f"my zanzibarish story {n}" in found for n in range(3)) and "someone else" not in found
    done = analyst.post("/analyst/erase", data={"email": EMAIL, "confirm": "yes"}, follow_redirects=True)
    assert "Erased 3 answers" in done.get_data(as_text=True)
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert db.execute("SELECT count(*) FROM essays WHERE essays MATCH 'zanzibarish'").fetchone()[0] == 0
    assert [r[0] for r in db.execute("SELECT id FROM responses")] == [keep]
    assert EMAIL.encode() not in raw_bytes(app) and b"zanzibarish" not in raw_bytes(app)
    assert db.execute("SELECT actor, action, count, scope FROM audit_log").fetchall() == [
        ("ada", "erase", 3, "email")]
    listing = app.test_cli_runner().invoke(args=["audit"]).output
    assert "\tada\terase\t3\temail" in listing and EMAIL not in listing


def test_erasure_by_receipt_removes_one_answer(app, analyst):
    gone = store(app, "erase this one", email=EMAIL)
    kept = store(app, "keep this one", email=EMAIL)
    analyst.post("/analyst/erase", data={"receipt": receipt_for(gone), "confirm": "yes"})
    ids = [h["id"] for h in analyst.get("/analyst/api/search").json["hits"]]
    assert ids == [kept]


def test_the_erase_form_needs_exactly_one_target(analyst):
    assert analyst.post("/analyst/erase", data={}).status_code == 400
    both = analyst.post("/analyst/erase", data={"email": EMAIL, "receipt": "x"})
    assert both.status_code == 400 and "either an email" in both.get_data(as_text=True)


def test_erasure_reaches_the_search_index_through_the_signed_path(search_app, domain):
    ids = [store(search_app, f"indexed {n}", email=EMAIL, state="pending") for n in range(2)]
    other = store(search_app, "another person", email="keep@example.org", state="pending")
    drain(search_app)
    result = search_app.test_cli_runner().invoke(args=["erase", "--email", EMAIL], input="y\n")
    assert result.exit_code == 0 and "Erased 2 answers." in result.output
    assert set(domain.docs()) == {other}
    assert EMAIL not in str(domain.docs())
    assert set(ids).isdisjoint(domain.docs())
    assert all(s.path.startswith(f"/{domain.alias}") for s in domain.seen)  # bulk deletes, no DELETE verb


def test_an_answer_erased_while_its_shipment_was_in_flight_is_deleted_again(search_app, domain, monkeypatch):
    doc_id = store(search_app, "racing the shipper", email=EMAIL, state="pending")
    original = es_client.send_bulk

    def erase_mid_flight(client, alias, body, *options):
        if b'"delete"' not in body:  # the shipment, not the erasure's own deletes
            with search_app.test_request_context():
                erasure.erase([doc_id], "ada", "receipt")
        return original(client, alias, body, *options)

    monkeypatch.setattr(es_client, "send_bulk", erase_mid_flight)
    with search_app.test_request_context():
        assert drain(search_app).shipped == 1  # the bulk landed, after the erasure
    assert doc_id not in domain.docs()


def test_cli_erase_by_unknown_receipt_erases_nothing(runner):
    result = runner.invoke(args=["erase", "--receipt", "a" * 26, "--yes"])
    assert result.exit_code == 0 and "Erased 0" in result.output
    assert runner.invoke(args=["erase"]).exit_code != 0


def test_an_unreachable_index_makes_erasure_a_503_that_can_be_repeated(search_app, search_analyst, domain):
    doc_id = store(search_app, "shipped, then the domain went away", email=EMAIL, state="pending")
    drain(search_app)
    client = search_analyst
    domain.switches.mode = "down"
    failed = client.post("/analyst/erase", data={"receipt": receipt_for(doc_id), "confirm": "yes"})
    assert failed.status_code == 503 and "erase again" in failed.get_data(as_text=True)
    cli = search_app.test_cli_runner().invoke(args=["erase", "--email", EMAIL, "--yes"])
    assert cli.exit_code == 1 and "erase again" in cli.output
    domain.switches.mode = "up"
    again = client.post("/analyst/erase", data={"receipt": receipt_for(doc_id), "confirm": "yes"})
    assert again.status_code == 303
    assert doc_id not in domain.docs()


def test_an_answer_erased_mid_shipment_stays_erased_when_the_shipper_dies_before_it_can_re_delete(search_config,
                                                                                                 domain):
    app = create_app(dict(search_config, SHIP_LEASE_SECONDS=1))
    doc_id = store(app, "erase me while my shipment is in flight", email=EMAIL, state="pending")
    client = es_client.get_client(app)
    indices.ensure_index(client, domain.alias, {"essay": "text"})
    db = journal.connect(app.config["JOURNAL_PATH"])
    rows = outbox.claim(db, 10, 1.0, time.time())  # a shipper claims the answer and builds its bulk...
    body = b"".join(es_client.bulk_lines(journal.to_document(row)) for row in rows)
    with app.test_request_context():
        erasure.erase([doc_id], "ada", "receipt")  # ...the respondent's answer is erased meanwhile...
    es_client.send_bulk(client, domain.alias, body)  # ...the bulk lands, and that process dies
    assert doc_id in domain.docs()
    restarted = create_app(dict(search_config, SHIP_LEASE_SECONDS=1))
    assert wait_until(lambda: drain(restarted) and doc_id not in domain.docs(), timeout=10)


def test_an_export_in_progress_delays_the_scrub_and_the_erasure_says_so(app, analyst):
    target = store(app, "Quetzalcoatl confided this essay", email=EMAIL)
    for n in range(1_200):  # more than one scan batch: the export keeps its read open between them
        store(app, f"another answer {n}")
    stream = analyst.get("/analyst/export.csv", buffered=False)
    lines = iter(stream.response)
    next(lines), next(lines)
    said = []
    # another connection, as a process would have
    eraser = threading.Thread(target=lambda: said.append(app.test_cli_runner().invoke(
        args=["erase", "--receipt", receipt_for(target), "--yes"]).output))
    eraser.start()
    eraser.join()
    assert "Erased 1 answer." in said[0] and "wiped from this server's disk the moment it ends" in said[0]
    list(lines)
    stream.close()  # the export ends: the scrub it was holding up happens now
    for word in (b"Quetzalcoatl", b"quetzalcoatl", b"confided"):
        assert word not in raw_bytes(app), word


def shipped_unsearchable(app, domain, essay):
    """Ship one answer from `app` that the index does not make searchable (a long refresh interval, or Serverless)."""
    indices.ensure_index(es_client.get_client(app), domain.alias, {"essay": "text"})
    if domain.service != "aoss":
        domain.refresh_later(3600)
    doc_id = store(app, essay, email=EMAIL, state="pending")
    with app.app_context():
        assert shipper.SHIPPER.of(app).drain(journal.get_db(), time.time() + 30).shipped == 1
    return doc_id


def test_erasure_by_email_finds_answers_another_instance_shipped_within_the_refresh_interval(
        search_config, domain, tmp_path):
    other = create_app(dict(search_config, DATA_DIR=str(tmp_path / "other")))
    doc_id = shipped_unsearchable(other, domain, "shipped a moment ago elsewhere")
    result = create_app(search_config).test_cli_runner().invoke(args=["erase", "--email", EMAIL, "--yes"])
    assert result.exit_code == 0 and "Erased 1 answer." in result.output, result.output
    assert doc_id not in domain.docs()


def test_an_address_typed_in_another_unicode_form_is_the_same_address(app, analyst):
    """Issue 30 #13: an NFD-typed address (e + combining accent) is found and erased by its NFC form."""
    response = app.test_client().post("/", data={"essay": "Written by José.", "email": "Jose\u0301@Example.org"})
    assert response.status_code == 303
    assert analyst.get("/analyst/api/search", query_string={"email": "josé@example.org"}).json["total"] == 1
    result = app.test_cli_runner().invoke(args=["erase", "--email", "JOSÉ@example.org", "--yes"])
    assert "Erased 1 answer." in result.output, result.output
