"""Spam is scored without third parties, stored and flagged (never dropped), and filterable."""
import re
import time
from pathlib import Path

import pytest

from collector import create_app
from collector.respondent import spam
from tests.helpers import log_in, receipt_of, write_surveys


def opened_token(client, app, seconds_ago):
    """The form's signed start time, as if the respondent opened it `seconds_ago`."""
    client.get("/")
    with app.test_request_context():
        return spam._serializer().dumps(time.time() - seconds_ago)


def post(client, token, essay="A thoughtful answer about the tools we use.", **extra):
    data = {"essay": essay, "email": "r@example.org", "started": token, **extra}
    return client.post("/", data=data)


def flags(analyst, **params):
    return [(h["is_spam"], h["spam_score"]) for h in analyst.get("/analyst/api/search", query_string=params).json["hits"]]


def test_a_person_taking_a_minute_is_not_spam(app, client, analyst):
    assert post(client, opened_token(client, app, 60)).status_code == 303
    assert flags(analyst) == [(False, 0.0)]


def test_a_filled_honeypot_is_flagged_stored_and_filterable(app, client, analyst):
    response = post(client, opened_token(client, app, 60), website="http://spam.example")
    assert response.status_code == 303 and receipt_of(response)  # the bot sees success
    assert flags(analyst, spam="only") == [(True, 1.0)]
    assert flags(analyst, spam="exclude") == []


def test_a_one_second_fill_is_flagged(app, client, analyst):
    assert post(client, opened_token(client, app, 1)).status_code == 303
    assert flags(analyst, spam="only") == [(True, 0.8)]


def test_the_real_form_carries_a_timer_and_a_hidden_honeypot(client):
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    assert token and 'class="hp" aria-hidden="true"' in page and 'tabindex="-1"' in page


def test_a_forged_timer_counts_as_missing(app, client, analyst):
    post(client, "1700000000.0.forged")
    assert flags(analyst) == [(False, 0.5)]


def test_the_same_essay_twice_from_one_email_adds_up(app, client, analyst):
    token = opened_token(client, app, 60)
    post(client, token)
    post(client, token)
    assert sorted(flags(analyst)) == [(False, 0.0), (False, 0.6)]
    post(client, "no timer")  # repeated and untimed: over the threshold
    assert flags(analyst, spam="only") == [(True, 1.0)]


def test_threshold_is_configurable(app_config):
    app = create_app(dict(app_config, SPAM_THRESHOLD=0.4))
    client = app.test_client()
    post(client, "missing")
    with app.test_request_context():
        from collector import journal
        assert journal.get_db().execute("SELECT is_spam FROM responses").fetchone()[0] == 1


@pytest.mark.parametrize(
    "essay, expected",
    [
        ("See https://a.example and https://b.example and www.c.example", True),
        ("Buy now https://cheap.example", True),
        ("Our wiki (https://wiki.example/page) explains the setup in more words than any link "
         "ever could, and it really helped the whole team understand the rollout.", False),
        ("No links at all here.", False),
    ],
)
def test_link_density(essay, expected):
    assert spam.link_heavy(essay) is expected


@pytest.mark.parametrize(
    "essay, expected",
    [
        ("asdfghjkl qwrtzpsdf xcvbnmlkj hgfdsazxc", True),
        ("jfjfjfjfjf kdkdkdkdkd", False),  # too short to judge
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb cccccccccccccccccccccccccc", True),
        ("The strengths of the rhythm section were obvious to everyone in the room.", False),
        ("Die Entwicklungsumgebung war schnell und zuverlässig, wir waren zufrieden.", False),
        ("この ツール は とても 便利 でした 本当に", False),
    ],
)
def test_gibberish_heuristic(essay, expected):
    assert spam.gibberish(essay) is expected


def test_the_readme_says_what_a_fast_fill_gets_flagged_and_kept_not_refused():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    said = " ".join(readme.split())
    assert "a fill under `SPAM_MIN_SECONDS`, default 3, alone crosses it), never dropped" in said
    assert "refused" not in said[said.index("Spam is scored"):said.index("never dropped")]


def test_a_paged_survey_is_timed_from_its_first_page_not_its_last(app_config, tmp_path):
    paged = ("surveys:\n  - slug: two\n    title: Two\n    email: \"off\"\n    pages:\n"
             "      - questions: [{id: one, type: text, label: One}]\n"
             "      - questions: [{id: two, type: essay, label: Two, required: true}]\n")
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, paged)))
    client = app.test_client()
    resume = client.post("/s/two", data={"action": "next", "one": "x", "started": opened_token(client, app, 60)})
    last_page = client.get(resume.location).get_data(as_text=True)
    token = re.search(r'name="started" type="hidden" value="([^"]+)"', last_page).group(1)
    client.post(resume.location, data={"action": "finish", "two": "A considered answer, at last.", "started": token})
    analyst = app.test_client()
    log_in(analyst)
    assert flags(analyst) == [(False, 0.0)]  # a minute over both pages, though the last took no time
