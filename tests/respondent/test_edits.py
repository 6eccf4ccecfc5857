"""Issue 28 #3: with allow_edit_days, the receipt link changes a submitted answer. The change is the
answer's next version under the same id and receipt: analysts search the latest, read its history, keep
its codes; the index is updated, even from another instance, and a late re-send never undoes it."""
import csv
import io
import re

import pytest

from collector import create_app
from collector.journal import mode
from tests.helpers import drain, edit_code, hits, log_in, receipt_of, settle, write_surveys

SURVEYS = """
surveys:
  - slug: mood
    title: Mood
    email: optional
    allow_edit_days: 7
    questions:
      - {id: feeling, type: essay, label: "How do you feel?", required: true}
      - {id: team, type: choice, label: Team, options: [Web, Ops]}
  - slug: pulse
    title: Pulse
    email: "off"
    allow_edit_days: 1
    pages:
      - questions:
          - {id: role, type: choice, label: Your role, options: [Engineer, Manager], required: true}
      - show_if: role == "Manager"
        questions:
          - {id: hard, type: essay, label: "What was hard?", required: true}
  - slug: fixed
    title: Fixed
    email: "off"
    questions:
      - {id: said, type: essay, label: Said, required: true}
"""


@pytest.fixture
def config(engine_config, tmp_path):
    return dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS))


def ship(app):
    """Drain into the index where the app ships (embedded mode: nothing to do)."""
    if mode.of(app).ships:
        drain(app)


def change(client, receipt, status=303, code=None):
    """Press *Change my answer* on the receipt page, with the edit code this browser was given (or `code`);
    the resume link it opens."""
    response = client.post(f"/thanks/{receipt}/edit", data={"edit_code": code or edit_code(client, receipt)})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.location


def send(client, url, **form):
    """Post a form that must be accepted; the receipt it leads to."""
    response = client.post(url, data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return receipt_of(response) if "/thanks/" in response.location else response.location


def test_the_receipt_link_changes_the_answer_as_its_next_version(config):
    app = create_app(config)
    client = app.test_client()
    receipt = send(client, "/s/mood", feeling="Grumpy about the standup", team="Web", email="me@example.org")
    assert 'id="edit"' in client.get(f"/thanks/{receipt}").get_data(as_text=True)
    resume = change(client, receipt)
    page = client.get(resume).get_data(as_text=True)
    assert "Grumpy about the standup" in page and 'id="editing"' in page and "me@example.org" in page
    assert send(client, resume, feeling="Cheerful after the retro", team="Ops", email="me@example.org") == receipt
    assert "Your change is saved" in client.get(f"/thanks/{receipt}").get_data(as_text=True)
    assert client.get(resume).status_code == 404  # the draft went with the change
    assert hits(app, q="grumpy") == []
    [hit] = hits(app, q="cheerful")
    assert hit["receipt"] == receipt and hit["answers"] == {"feeling": "Cheerful after the retro", "team": "Ops"}
    assert hit["edited_at"] and hit["submitted_at"] < hit["edited_at"] and hit["version"] == 2
    assert [(v["version"], v["answers"]) for v in hit["history"]] == [
        (1, {"feeling": "Grumpy about the standup", "team": "Web"})]
    analyst = app.test_client()
    log_in(analyst)
    answer = analyst.get(f"/analyst/responses/{hit['id']}").get_data(as_text=True)
    assert 'id="history"' in answer and "Grumpy about the standup" in answer and "version 2" in answer
    assert re.search(r"Version 1, written <time datetime=\S+>\d+ \w{3} \d{4}, \d\d:\d\d:\d\d UTC</time>", answer)
    rows = list(csv.DictReader(io.StringIO(analyst.get("/analyst/export.csv?survey=mood").get_data(as_text=True))))
    assert [(r["feeling"], bool(r["edited_at"]), r["version"]) for r in rows] == [("Cheerful after the retro", True, "2")]


def test_codes_stay_with_the_answer_through_its_change(config):
    app = create_app(config)
    client = app.test_client()
    receipt = send(client, "/s/mood", feeling="The build is slow")
    [hit] = hits(app, q="build")
    analyst = app.test_client()
    log_in(analyst)
    analyst.post("/analyst/api/codes", json={"name": "tooling"})
    assert analyst.post(f"/analyst/api/responses/{hit['id']}/codes", json={"add": ["tooling"]}).status_code == 200
    send(client, change(client, receipt), feeling="The build is slow and flaky")
    [hit] = hits(app, code="tooling", q="flaky")
    assert hit["codes"] == ["tooling"]


def test_a_change_follows_the_pages_and_their_conditions(config):
    app = create_app(config)
    client = app.test_client()
    resume = send(client, "/s/pulse", action="next", role="Manager")
    receipt = send(client, resume, action="finish", hard="Hiring")
    again = change(client, receipt)
    # the managers' page is hidden now
    assert send(client, again, action="finish", role="Engineer") == receipt
    assert hits(app, survey="pulse")[0]["answers"] == {"role": "Engineer"}


def test_after_allow_edit_days_the_answer_stays_as_it_is(config, clock):
    app = create_app(config)
    client = app.test_client()
    receipt = send(client, "/s/pulse", action="finish", role="Engineer")
    late = change(client, receipt)  # begun in time, sent too late
    ship(app)  # before the clock moves on: the shipper's deadlines read it too
    clock.advance(2 * 86400)
    assert 'id="edit"' not in client.get(f"/thanks/{receipt}").get_data(as_text=True)
    change(client, receipt, 410)
    # on to its page
    assert client.post(late, data={"action": "finish", "role": "Manager"}).status_code == 303
    assert client.post(late, data={"action": "finish", "hard": "Too late"}).status_code == 410
    [hit] = hits(app, survey="pulse")
    assert hit["edited_at"] is None and hit["answers"] == {"role": "Engineer"}


def test_a_survey_without_allow_edit_days_offers_no_change(config):
    client = create_app(config).test_client()
    receipt = send(client, "/s/fixed", said="Final")
    assert 'id="edit"' not in client.get(f"/thanks/{receipt}").get_data(as_text=True)
    change(client, receipt, 404)
    change(client, "a" * 26, 404)


def test_a_change_made_on_another_instance_reaches_the_index_and_a_late_resend_never_undoes_it(search_config,
                                                                                                 tmp_path):
    config = dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS))
    first, second = create_app(config), create_app(dict(config, DATA_DIR=str(tmp_path / "second")))
    sender = first.test_client()
    receipt = send(sender, "/s/mood", feeling="Written on the first instance")
    code = edit_code(sender, receipt)
    drain(first)
    # it never held the answer: it reads it (and its code's digest) from the domain
    client = second.test_client()
    assert "Written on the first instance" in client.get(change(client, receipt, code=code)).get_data(as_text=True)
    send(client, change(client, receipt), feeling="Changed on the second instance")
    drain(second)
    # the first's stale row, again
    assert first.test_cli_runner().invoke(args=["ship", "--all"]).exit_code == 0
    assert hits(second, q="written") == []
    [hit] = hits(first, q="changed")
    assert hit["receipt"] == receipt and hit["edited_at"]
    history = first.test_client()
    log_in(history)
    assert "Written on the first instance" in history.get(f"/analyst/responses/{hit['id']}").get_data(as_text=True)


def test_erasing_a_changed_answer_erases_every_version(config):
    app = create_app(config)
    client = app.test_client()
    receipt = send(client, "/s/mood", feeling="First thoughts on pay")
    ship(app)
    send(client, change(client, receipt), feeling="Second thoughts on pay")
    [hit] = hits(app, q="pay")
    begun = change(client, receipt)  # a third version begun: its draft holds the words too
    settle(app)
    assert app.test_cli_runner().invoke(args=["erase", "--receipt", receipt, "--yes"]).exit_code == 0
    assert client.get(begun).status_code == 404
    analyst = app.test_client()
    log_in(analyst)
    assert analyst.get(f"/analyst/responses/{hit['id']}").status_code == 404 and hits(app, q="thoughts") == []
    assert client.post(f"/thanks/{receipt}/edit", data={"edit_code": "abcd"}).status_code == 404


@pytest.mark.parametrize("shipped_last", ["the earlier change", "the later change"])
def test_two_changes_made_on_two_instances_from_the_same_version_both_stay_in_the_history(search_config,
                                                                                            tmp_path, shipped_last):
    config = dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS))
    first, second = create_app(config), create_app(dict(config, DATA_DIR=str(tmp_path / "second")))
    client = first.test_client()
    receipt = send(client, "/s/mood", feeling="Version one")
    code = edit_code(client, receipt)
    drain(first)
    send(client, change(client, receipt), feeling="Changed on the first, not shipped yet")
    other = second.test_client()  # reads the domain's version one
    send(other, change(other, receipt, code=code), feeling="Changed on the second, later")
    for app in (second, first) if shipped_last == "the earlier change" else (first, second):
        drain(app)
    [hit] = hits(first, survey="mood")
    assert hit["answers"]["feeling"] == "Changed on the second, later" and hit["version"] == 3
    assert [(v["version"], v["answers"]["feeling"]) for v in hit["history"]] == [
        (1, "Version one"), (2, "Changed on the first, not shipped yet")]
