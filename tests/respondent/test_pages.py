"""Issue 28 #1-3: pages with Next and Back, branching enforced by the server (a tampered post stores
nothing hidden and cannot skip a required question), drafts under a resume link that outlive a restart
and are never counted; in both modes (a fleet keeps drafts in the domain)."""
import re
from pathlib import Path

import pytest

from collector import create_app, workspace
from collector.journal import get_db, mode
from collector.respondent import drafts
from tests.helpers import hits, receipt_of, write_surveys

PULSE = """
surveys:
  - slug: pulse
    title: Pulse
    email: "off"
    pages:
      - title: About you
        questions:
          - {id: role, type: choice, label: Your role, options: [Engineer, Manager], required: true}
          - {id: tools, type: choices, label: Tools, options: [Slack, VPN]}
      - title: The VPN
        show_if: '"VPN" in tools'
        questions:
          - {id: vpn, type: rating, label: "How good is the VPN?", required: true}
          - {id: vpn_why, type: essay, label: "What went wrong?", show_if: vpn <= 2, required: true}
      - title: Last words
        questions:
          - {id: last, type: text, label: "Anything else?"}
  - slug: flat
    title: Flat
    email: "off"
    questions:
      - {id: role, type: choice, label: Your role, options: [Engineer, Manager], required: true}
      - {id: team, type: text, label: "Which team do you manage?", show_if: role == "Manager", required: true}
"""


@pytest.fixture
def config(engine_config, tmp_path):
    return dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, PULSE))


def stored(app):
    """The answers the app's journal holds (and, in search mode, the index once drained)."""
    return [hit["answers"] for hit in hits(app)]


def checked(page, value):
    """Whether the page's input with this value is ticked."""
    return any("checked" in tag for tag in re.findall(rf'<input[^>]*value="{value}"[^>]*>', page))


def go(client, url, status=303, **form):
    response = client.post(url, data=form)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.location if status == 303 else response.get_data(as_text=True)


def test_next_and_back_keep_what_was_typed_and_finish_journals_it_once(config):
    app = create_app(config)
    client = app.test_client()
    first = client.get("/s/pulse").get_data(as_text=True)
    assert "Page 1 of 3" in first and '<progress id="progress"' in first and 'value="next"' in first
    assert "Please choose an answer" in go(client, "/s/pulse", 400, action="next", tools="VPN")
    resume = go(client, "/s/pulse", action="next", role="Manager", tools=["Slack", "VPN"])
    page = client.get(resume).get_data(as_text=True)
    assert "Page 2 of 3" in page and "The VPN" in page and "mailto:?subject=" in page and resume in page
    assert go(client, resume, action="back", vpn="4") == resume
    back = client.get(resume).get_data(as_text=True)
    assert "Page 1 of 3" in back and checked(back, "Manager") and checked(back, "VPN")
    go(client, resume, action="next", role="Manager", tools=["Slack", "VPN"])
    assert checked(client.get(resume).get_data(as_text=True), "4")  # kept from before Back
    go(client, resume, action="next", vpn="4")
    assert stored(app) == []  # a draft is not an answer
    thanks = go(client, resume, action="finish", last="All good")
    assert "/thanks/" in thanks and client.get(resume).status_code == 404
    assert stored(app) == [{"role": "Manager", "tools": ["Slack", "VPN"], "vpn": 4, "last": "All good"}]


def test_a_page_its_condition_hides_is_skipped_and_its_answers_never_stored(config):
    app = create_app(config)
    client = app.test_client()
    resume = go(client, "/s/pulse", action="next", role="Engineer", tools="VPN")
    go(client, resume, action="next", vpn="1", vpn_why="It dropped.")
    go(client, resume, action="back")
    go(client, resume, action="back")
    go(client, resume, action="next", role="Engineer", tools="Slack")  # no VPN now: its page is not shown
    assert "Page 2 of 2" in client.get(resume).get_data(as_text=True)
    go(client, resume, action="finish", last="ok")
    assert stored(app) == [{"role": "Engineer", "tools": ["Slack"], "last": "ok"}]


def test_a_tampered_post_stores_nothing_hidden_and_cannot_skip_a_required_question(config):
    app = create_app(config)
    client = app.test_client()
    # team is hidden for an engineer
    assert "/thanks/" in go(client, "/s/flat", role="Engineer", team="Forged")
    assert stored(app) == [{"role": "Engineer"}]
    assert "Please write your answer" in go(client, "/s/flat", 400, role="Manager")  # shown, so required
    resume = go(client, "/s/pulse", action="finish", role="Manager", tools="VPN", last="skipping ahead")
    assert "/thanks/" not in resume and "Page 2 of 3" in client.get(resume).get_data(as_text=True)
    assert "Please choose a rating" in go(client, resume, 400, action="finish", last="x")  # vpn left out
    # vpn_why: shown, required
    assert "Please write your answer" in go(client, resume, 400, action="next", vpn="1")
    assert len(stored(app)) == 1


def test_a_draft_resumes_after_a_restart_and_expires_after_draft_days(config, clock):
    resume = go(create_app(config).test_client(), "/s/pulse", action="next", role="Manager", tools="Slack")
    restarted = create_app(config).test_client()  # a new process on the same journal (or domain)
    assert "Page 2 of 2" in restarted.get(resume).get_data(as_text=True)
    receipt = receipt_of(restarted.post(resume, data={"action": "finish", "last": "after a restart"}))
    assert receipt
    stale = go(restarted, "/s/pulse", action="next", role="Manager", tools="Slack")
    clock.advance(restarted.application.config["DRAFT_DAYS"] * 86400 - 60)
    assert restarted.get(stale).status_code == 200  # a minute to spare
    clock.advance(120)
    assert restarted.get(stale).status_code == 404


def test_the_count_of_pages_follows_the_answers_and_next_on_what_became_the_last_page_offers_to_send(config):
    client = create_app(config).test_client()
    assert "Page 1 of 3" in client.get("/s/pulse").get_data(as_text=True)  # the VPN page: undecided yet
    text = PULSE.replace("      - title: Last words\n        questions:\n          - {id: last, type: text, label: "
                         '"Anything else?"}\n', "")
    assert text != PULSE
    short = create_app(dict(config, SURVEYS_FILE=write_surveys(Path(config["DATA_DIR"]).parent, text, "short.yaml")))
    client = short.test_client()
    # no VPN page: page 1 is the last
    resume = go(client, "/s/pulse", action="next", role="Manager", tools="Slack")
    page = client.get(resume).get_data(as_text=True)
    assert "Page 1 of 1" in page and 'value="finish"' in page


def test_old_drafts_are_wiped_from_the_store_not_only_refused(config, clock):
    app = create_app(config)
    token = go(app.test_client(), "/s/pulse", action="next", role="Manager", tools="Slack").rsplit("/")[-1]
    clock.advance(app.config["DRAFT_DAYS"] * 86400 + 3600)  # and an hour since this instance's last sweep
    with app.app_context():
        store = drafts.current()
        if mode.of(app).ships:
            workspace.of(app).settle()
            store.expire()
            assert store.records.get(f"draft:{token}") is None
        else:
            store.put({"token": "another", "survey": "pulse", "page": 0, "answers": {}, "hidden": {}})
            assert get_db().execute("SELECT count(*) FROM drafts WHERE token = ?", (token,)).fetchone()[0] == 0
