"""Issue 30 #17: what a forged or careless post must not get stored as it came."""
import json
import re
import sqlite3

import pytest

from collector import create_app
from tests.helpers import SURVEYS_YAML, log_in, onboarding_answer, write_surveys


@pytest.fixture
def surveyed(app_config, tmp_path):
    """An app with the onboarding survey (a consent box, multiple choice, a one-line text)."""
    return create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path)))


def last_answers(app):
    row = sqlite3.connect(app.config["JOURNAL_PATH"]).execute("SELECT answers FROM responses ORDER BY seq DESC").fetchone()
    return json.loads(row[0])


@pytest.mark.parametrize("value", ["no", "0", "false", "off", "No", " "])
def test_a_consent_box_is_consent_only_when_ticked(surveyed, value):
    response = surveyed.test_client().post("/s/onboarding", data=onboarding_answer(consent=value))
    assert response.status_code == 400 and "Please tick this box" in response.get_data(as_text=True)


def test_a_choice_given_twice_is_stored_once_and_a_one_line_answer_keeps_to_one_line(surveyed):
    response = surveyed.test_client().post("/s/onboarding", data=onboarding_answer(
        tools=["VPN", "Slack", "VPN"], headline="Slow\nstart\r\n  really"))
    assert response.status_code == 303
    answers = last_answers(surveyed)
    assert answers["tools"] == ["VPN", "Slack"] and answers["headline"] == "Slow start really"


def test_coding_an_answer_that_does_not_exist_is_a_404_page(surveyed):
    client = surveyed.test_client()
    log_in(client)
    client.post("/analyst/api/codes", json={"name": "night"})
    response = client.post("/analyst/responses/00000000-0000-4000-8000-000000000000/codes", data={"add": "night"})
    assert response.status_code == 404 and "There is no answer with that id" in response.get_data(as_text=True)


def test_answer_again_keeps_the_hidden_fields_of_the_link(surveyed):
    """Issue 29: 'Answer again' dropped ?source=...&cohort=... from the link the respondent came by."""
    client = surveyed.test_client()
    response = client.post("/s/onboarding?source=newsletter&cohort=2026-03", data=onboarding_answer())
    page = client.get(response.location).get_data(as_text=True)
    assert 'href="/s/onboarding?source=newsletter&amp;cohort=2026-03"' in page


def test_a_survey_that_fills_up_while_someone_writes_gives_them_their_text_back(app_config, tmp_path):
    """Issue 29: a cap reached while someone typed lost their text."""
    capped = SURVEYS_YAML.replace("  - slug: exit\n", "  - slug: exit\n    max_responses: 1\n")
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, capped)))
    assert app.test_client().post("/s/exit", data={"reason": "The first answer."}).status_code == 303
    late = app.test_client().post("/s/exit", data={"reason": "Three paragraphs <b>written</b> with care."})
    page = late.get_data(as_text=True)
    assert late.status_code == 410 and "Your answer was not sent" in page
    assert "Three paragraphs &lt;b&gt;written&lt;/b&gt; with care." in page


def test_a_given_consent_reads_as_such_on_the_answer_page(surveyed):
    """Issue 29: the answer page showed a consent as 'y'."""
    client = surveyed.test_client()
    client.post("/s/onboarding", data=onboarding_answer())
    log_in(client)
    (hit,) = client.get("/analyst/api/search").json["hits"]
    page = client.get(f"/analyst/responses/{hit['id']}").get_data(as_text=True)
    consent = re.search(r"You may quote my answer anonymously\..*?</dd>", page, re.S).group(0)
    assert "Yes, given" in consent and ">y<" not in consent
