"""Exports: the whole filtered set, streamed, formula-safe, audited; from the page and the CLI."""
import csv
import io
import json
import random
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from collector import create_app
from tests.helpers import drain, log_in, store

T0 = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)


def resident_bytes(field):
    """This process's resident memory now (VmRSS) or at its peak since the last reset (VmHWM)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field))


def reset_peak_memory():
    """Start VmHWM afresh from now (Linux): cheaper to watch than tracemalloc, which slowed this test sixfold."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def audit_rows(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return db.execute("SELECT actor, action, count, scope FROM audit_log").fetchall()


def test_csv_export_has_every_match_not_just_a_page(app, analyst):
    for n in range(45):
        store(app, f"export me {n}", when=T0 + timedelta(minutes=n))
    store(app, "not this one", when=T0)
    response = analyst.get("/analyst/export.csv?q=export")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 45
    assert rows[0]["essay"] == "export me 44"  # newest first
    assert audit_rows(app) == [("ada", "export.csv", 45, "q")]


def test_ndjson_export_round_trips(app, analyst):
    doc_id = store(app, 'quotes " and\nnewlines', email="n@example.org", spam=True)
    lines = analyst.get("/analyst/export.ndjson?spam=only").get_data(as_text=True).splitlines()
    (record,) = [json.loads(line) for line in lines]
    assert record["id"] == doc_id and record["essay"] == 'quotes " and\nnewlines'
    assert record["is_spam"] is True and record["email"] == "n@example.org"


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)",
                                     "\t=1", "\r=1"])
def test_csv_cells_cannot_start_a_formula(app, analyst, payload):
    store(app, payload, email="formula@example.org")
    rows = list(csv.DictReader(io.StringIO(analyst.get("/analyst/export.csv").get_data(as_text=True))))
    assert rows[0]["essay"] == "'" + payload


def test_export_needs_a_known_format(analyst):
    assert analyst.get("/analyst/export.docx").status_code == 404


def test_cli_export_writes_csv_to_stdout_and_is_audited(app, runner):
    for n in range(3):
        store(app, f"cli export {n}")
    result = runner.invoke(args=["export", "--format", "csv", "--q", "cli"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["essay"] for r in rows] == ["cli export 2", "cli export 1", "cli export 0"]
    assert audit_rows(app)[0][1:] == ("export.csv", 3, "q")


def test_export_through_the_signed_path_pages_past_equal_timestamps(search_config, domain):
    app = create_app(dict(search_config))
    for n in range(1203):  # three scan pages, many answers sharing one millisecond
        store(app, f"scan {n}", when=T0 + timedelta(milliseconds=n // 7), state="pending")
    drain(app)
    client = app.test_client()
    log_in(client)
    rows = list(csv.DictReader(io.StringIO(client.get("/analyst/export.csv").get_data(as_text=True))))
    assert len(rows) == 1203 and len({r["id"] for r in rows}) == 1203


@pytest.mark.slow
def test_a_100k_answer_export_streams_in_bounded_memory_and_round_trips(app, analyst):
    words = "deploy pipeline review release tooling support onboarding cache latency docs".split()
    rnd = random.Random(7)
    essays = [" ".join(rnd.choices(words, k=30)) for _ in range(1000)]
    rows = [(f"00000000-0000-4000-8000-{n:012d}", essays[n % 1000], f"r{n % 977}@example.org",
             (T0 + timedelta(seconds=n)).isoformat(timespec="microseconds")) for n in range(100_000)]
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    with db:
        db.executemany("INSERT INTO responses (id, essay, email, submitted_at, state) VALUES (?, ?, ?, ?, 'shipped')", rows)
    db.close()
    del rows
    response = analyst.get("/analyst/export.csv", buffered=False)
    reset_peak_memory()
    before = resident_bytes("VmRSS:")
    lines = (line for chunk in response.response for line in chunk.decode().splitlines(keepends=True))
    count, ids = 0, set()
    for record in csv.DictReader(lines):
        count += 1
        ids.add(record["id"][-6:])
        assert record["essay"].count(" ") == 29
    grown = resident_bytes("VmHWM:") - before  # the whole file as text would be about 35 MB
    response.close()
    assert count == 100_000 and len(ids) == 100_000
    assert grown < 20 * 1024 * 1024, f"grew {grown / 1e6:.1f} MB while streaming"


def test_an_export_finishes_while_answers_keep_arriving(app, analyst):
    for n in range(1_200):  # more than one scan batch, so the export's read stays open between them
        store(app, f"answer {n}", when=T0 + timedelta(seconds=n))
    stream = analyst.get("/analyst/export.csv", buffered=False)
    lines = iter(stream.response)
    head = [next(lines) for _ in range(3)]
    writer = threading.Thread(target=lambda: store(app, "arrived during the export"))
    writer.start()
    writer.join()
    rest = list(lines)
    stream.close()
    assert len(head) + len(rest) == 1 + 1_200  # the header and every answer of the snapshot
    assert audit_rows(app)[-1][1:3] == ("export.csv", 1_200)


def test_exports_leave_the_clients_address_and_browser_out_unless_asked_and_excel_gets_labels(app, analyst):
    store(app, "für Excel", email="x@example.org", spam=True)
    plain = analyst.get("/analyst/export.csv").get_data(as_text=True)
    (row,) = list(csv.DictReader(io.StringIO(plain)))
    assert "client_ip" not in row and "user_agent" not in row and row["is_spam"] == "1"
    assert not plain.startswith("\ufeff")  # R, pandas and SPSS read the plain file as it is
    (asked,) = list(csv.DictReader(io.StringIO(analyst.get("/analyst/export.csv?client=1").get_data(as_text=True))))
    assert asked["client_ip"] == "127.0.0.1"
    record = json.loads(analyst.get("/analyst/export.ndjson").get_data(as_text=True))
    assert "client_ip" not in record and record["is_spam"] is True
    excel = analyst.get("/analyst/export.csv?for=excel").get_data()
    assert excel.startswith("\ufeff".encode())  # Excel reads it as UTF-8: "für" stays "für"
    header, labels, first = list(csv.reader(io.StringIO(excel.decode("utf-8-sig"))))
    assert labels[header.index("is_spam")] == "Spam (1 yes, 0 no)" and "für Excel" in first
