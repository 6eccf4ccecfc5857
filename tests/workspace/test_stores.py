"""The workspace's behaviour, written once and run against both stores: the journal's tables
(embedded) and the domain's workspace index (search mode, two instances on one real node)."""
import time

from werkzeug.security import generate_password_hash

from collector import create_app, workspace
from tests.helpers import drain, log_in, settle, wait_until


def holding(app, client):
    """Another browser, on `app`, holding a copy of client's session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def test_a_session_holds_on_every_instance_and_a_logout_on_one_ends_it_on_all(instances, clock):
    a, b = instances
    on_a = a.test_client()
    log_in(on_a)
    on_b = holding(b, on_a)
    assert on_b.get("/analyst/api/search").status_code == 200  # no sticky sessions needed
    on_b.post("/analyst/logout")
    assert on_b.get("/analyst/api/search").status_code == 401
    clock.advance(1)  # past SESSION_CHECK_SECONDS: instance a's cache asks the store again
    assert on_a.get("/analyst/api/search").status_code == 401


def test_a_password_change_ends_the_analysts_sessions_on_every_instance(instances, engine_config):
    a, b = instances
    on_a = a.test_client()
    log_in(on_a)
    changed = "ada:" + generate_password_hash("a new passphrase", method="pbkdf2:sha256:1000")
    redeployed = create_app(dict(engine_config, ANALYSTS=changed, DATA_DIR=b.config["DATA_DIR"]))
    assert holding(redeployed, on_a).get("/analyst/api/search").status_code == 401


def test_a_login_tidies_away_sessions_that_ended_long_ago(instances):
    a, b = instances
    with b.app_context():  # left behind on another instance
        workspace.current().start_session("an old token", "ada", "x", time.time() - 9 * 3600)
    settle(a)
    log_in(a.test_client())
    with a.app_context():
        assert workspace.current().session("an old token") is None


def test_the_audit_log_shows_every_instances_entries_newest_first_and_filters(instances):
    a, b = instances
    runner = a.test_cli_runner()
    assert runner.invoke(args=["erase", "--email", "nobody@example.org", "--yes"]).exit_code == 0
    assert runner.invoke(args=["export", "--format", "csv"]).exit_code == 0
    if a.config["SEARCH_URL"]:
        drain(a)  # the shipper's pass sends the audit entries on
    on_b = b.test_client()
    log_in(on_b)
    entries = wait_until(lambda: on_b.get("/analyst/api/audit").json["entries"], timeout=5)
    assert [e["action"] for e in entries][:2] == ["export.csv", "erase"]
    assert entries[0]["status"] == "completed" and entries[1]["scope"] == "email"
    only = on_b.get("/analyst/api/audit?action=erase").json["entries"]
    assert [e["action"] for e in only] == ["erase"] and "nobody@example.org" not in str(entries)
    page = on_b.get("/analyst/audit?actor=nobody-like-this").get_data(as_text=True)
    assert "Nothing recorded for these filters" in page
