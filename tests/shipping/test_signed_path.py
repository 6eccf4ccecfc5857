"""Every request to the domain is SigV4-signed, also with rotating credentials and many threads."""
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from botocore.credentials import RefreshableCredentials

import es_client
from collector import create_app
from collector.search import engines
from collector.shipping import shipper
from tests.helpers import drain, log_in, store, submit


def test_submit_ship_and_search_through_the_signed_path(search_app, domain):
    client = search_app.test_client()
    assert submit(client, essay="The deploy kept running out of memory").status_code == 303
    assert client.get("/healthz").json["journal_backlog"] == 1
    assert drain(search_app).shipped == 1
    log_in(client)
    hits = client.get("/analyst/api/search?q=run").json["hits"]
    assert [h["highlight"] for h in hits] == ["The deploy kept <mark>running</mark> out of memory"]
    assert client.get("/healthz").json == {
        "status": "ok", "journal_backlog": 0, "dead_letters": 0, "search": "ok"}
    assert domain.seen and not domain.bad_signatures()
    # The instance role's policy grants only arn:...:domain/D/<alias>*: stay inside it.
    assert all(s.path.startswith(f"/{domain.alias}") for s in domain.seen)
    assert {f"POST /{domain.alias}/_bulk", f"POST /{domain.alias}/_search"} <= {
        f"{s.method} {s.path}" for s in domain.seen}


def test_a_wrong_key_is_refused_and_nothing_is_marked_shipped(search_app, domain, caplog):
    domain.revoke("AKIDTESTEXAMPLE")
    store(search_app, "waiting for a valid signature", state="pending")
    outcome = drain(search_app, seconds=1)
    assert outcome.shipped == 0 and outcome.error.startswith("403")
    assert search_app.test_client().get("/healthz").json["journal_backlog"] == 1
    assert "es:ESHttpPost" in caplog.text
    assert domain.bad_signatures()


def _rotating_credentials(domain):
    """Credentials that expire at once, so botocore refreshes them on every use; old keys die (as an instance
    role's do, soon after their successors are issued: the three newest stay valid, for the requests that
    the shipper's bulk threads and its own thread have signed and not yet sent)."""
    issued = []

    def mint():
        key = f"AKIDROTATING{len(issued)}"
        domain.add_key(key, f"secret-{key}", f"token-{key}")
        if len(issued) >= 3:
            domain.revoke(issued[-3])
        issued.append(key)
        expiry = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
        return {"access_key": key, "secret_key": f"secret-{key}", "token": f"token-{key}", "expiry_time": expiry}

    return RefreshableCredentials.create_from_metadata(mint(), mint, "test"), issued


def test_expiring_credentials_are_refreshed_and_requests_keep_succeeding(search_config, domain, monkeypatch):
    credentials, issued = _rotating_credentials(domain)
    monkeypatch.setattr(es_client, "aws_credentials", lambda: credentials)
    app = create_app(dict(search_config, SHIP_BATCH=10))
    for n in range(50):
        store(app, f"answer {n}", state="pending")
    assert drain(app).shipped == 50
    with app.test_request_context():
        assert engines.SEARCH.of(app).status() == "ok"
    assert len(issued) >= 6  # a fresh key for every batch at least
    assert len(domain.docs()) == 50
    assert not domain.bad_signatures()


def test_eight_threads_search_while_the_shipper_ships(search_app, domain):
    for n in range(300):
        store(search_app, f"concurrent answer {n}", state="pending")
    shipper.SHIPPER.of(search_app).start()
    statuses, errors = [], []

    def analyst_searches():
        try:
            client = search_app.test_client()
            log_in(client)
            for _ in range(15):
                statuses.append(client.get("/analyst/api/search?q=concurrent").status_code)
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=analyst_searches) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    shipper.SHIPPER.of(search_app).stop()
    drain(search_app)
    assert not errors and statuses == [200] * 120
    assert len(domain.docs()) == 300
    assert not domain.bad_signatures()


def test_the_background_shipper_ships_new_answers_on_its_own(search_config, domain):
    app = create_app(dict(search_config, SHIPPER_AUTOSTART=True))
    client = app.test_client()
    submit(client, essay=f"shipped in the background {uuid.uuid4()}")
    deadline = time.time() + 15
    while time.time() < deadline and not domain.docs_or_empty():
        time.sleep(0.05)
    shipper.SHIPPER.of(app).stop()
    assert len(domain.docs_or_empty()) == 1
