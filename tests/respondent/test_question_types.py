"""Respondents: every question type, hidden fields, open and close, the cap, and old journals."""
import csv
import io
import json
import multiprocessing
import re
import sqlite3
from pathlib import Path

import pytest

from collector import create_app
from tests.helpers import SURVEYS_YAML, log_in, onboarding_answer, receipt_of, write_surveys

RELEASE_1 = Path(__file__).resolve().parents[1] / "data" / "journal_release1.sql"


@pytest.fixture
def surveys_config(app_config, tmp_path):
    """Settings for an app serving the two test surveys."""
    return dict(app_config, SURVEYS_FILE=write_surveys(tmp_path))


@pytest.fixture
def surveys_client(surveys_config):
    """A test client of the two-survey app."""
    return create_app(surveys_config).test_client()


def stored_rows(config):
    db = sqlite3.connect(str(Path(config["DATA_DIR"]) / "journal.sqlite3"))
    return db.execute("SELECT survey, survey_version, email, answers FROM responses ORDER BY seq").fetchall()


def test_the_root_lists_the_open_surveys_when_there_are_several(surveys_client):
    page = surveys_client.get("/").get_data(as_text=True)
    assert re.findall(r'href="(/s/[^"]+)"', page) == ["/s/onboarding", "/s/exit"]
    assert surveys_client.post("/").status_code == 405
    assert surveys_client.get("/s/nothing-here").status_code == 404


def test_every_question_type_is_a_labelled_accessible_control(surveys_client):
    page = surveys_client.get("/s/onboarding").get_data(as_text=True)
    assert '<textarea' in page and 'id="experience"' in page and 'name="headline"' in page
    for group in ("role", "tools", "satisfaction"):  # choice groups: a fieldset named by its legend
        assert re.search(rf'<fieldset[^>]*id="{group}"', page), group
    assert page.count("<legend") == 3
    assert len(re.findall(r'type="radio" value="[1-5]"', page)) == 5
    assert 'type="checkbox" value="VPN"' in page and 'id="consent"' in page and 'name="email"' in page
    assert "None" not in page and "privacy@example.org" in page
    assert 'aria-describedby="experience-help"' in page


def test_a_rejected_answer_keeps_everything_and_ties_each_error_to_its_field(surveys_config, surveys_client):
    body = onboarding_answer(role="Astronaut", consent=None, satisfaction="9")
    response = surveys_client.post("/s/onboarding", data=body)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and stored_rows(surveys_config) == []
    assert "Getting VPN access took three days." in page and 'value="Slow start"' in page
    assert re.search(r'checked[^>]*value="VPN"|value="VPN"[^>]*checked', page)
    for field in ("role", "satisfaction", "consent"):
        assert f'id="{field}-error"' in page and re.search(rf'aria-describedby="[^"]*{field}-error', page), field
    assert 'aria-invalid="true"' in page


def test_an_answer_stores_every_type_the_hidden_fields_and_the_survey_version(surveys_config, surveys_client):
    response = surveys_client.post("/s/onboarding?source=newsletter&cohort=2026-03&other=ignored",
                                   data=onboarding_answer())
    assert response.status_code == 303 and receipt_of(response)
    (survey, version, email, answers), = stored_rows(surveys_config)
    assert (survey, version, email) == ("onboarding", 2, "new@example.org")
    assert json.loads(answers) == {
        "source": "newsletter", "cohort": "2026-03", "experience": "Getting VPN access took three days.",
        "headline": "Slow start", "role": "Engineer", "tools": ["Slack", "VPN"], "satisfaction": 3, "consent": "y"}
    thanks = surveys_client.get(response.location).get_data(as_text=True)
    assert "Thanks, your onboarding answer is saved." in thanks and "privacy@example.org" in thanks


def test_the_form_posts_back_to_the_link_it_came_from_so_hidden_fields_survive(surveys_client):
    page = surveys_client.get("/s/onboarding?source=news%22letter").get_data(as_text=True)
    assert 'action="/s/onboarding?source=news%22letter"' in page


def test_optional_answers_and_email_off_store_only_what_was_given(surveys_config, surveys_client):
    assert surveys_client.post("/s/exit", data={"reason": "Moving abroad."}).status_code == 303
    (survey, _, email, answers), = stored_rows(surveys_config)
    # the lone text is the essay
    assert (survey, email, json.loads(answers)) == ("exit", "", {"reason": True})


@pytest.mark.parametrize("schedule, accepted, says", [
    ("closes: 2020-01-01", 0, "The exit survey has closed."), ("max_responses: 1", 1, "The exit survey has closed."),
    ("opens: 2999-01-01", 0, "Tuesday 1 January 2999 at 00:00 UTC"),  # issue 29: when it opens, not "closed"
    ("opens: 2999-01-01", 0, ": not open yet</title>"),  # issue 40 #11: the window's title too
])
def test_a_closed_survey_says_so_with_410_and_keeps_nothing(app_config, tmp_path, schedule, accepted, says):
    definition = SURVEYS_YAML.replace("  - slug: exit\n", f"  - slug: exit\n    {schedule}\n"
                                      "    closed_message: The exit survey has closed.\n")
    config = dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, definition))
    client = create_app(config).test_client()
    for n in range(accepted):
        assert client.post("/s/exit", data={"reason": f"answer {n}"}).status_code == 303
    for response in (client.get("/s/exit"), client.post("/s/exit", data={"reason": "too late"})):
        assert response.status_code == 410 and says in response.get_data(as_text=True)
    assert len(stored_rows(config)) == accepted
    assert re.findall(r'href="(/s/[^"]+)"', client.get("/").get_data(as_text=True)) == ["/s/onboarding"]


def _post_until_closed(config, worker, results):
    client = create_app(config).test_client()
    codes = [client.post("/s/exit", data={"reason": f"worker {worker} answer {n}"}).status_code for n in range(8)]
    results.put(codes)


@pytest.mark.slow
def test_the_cap_holds_under_concurrent_submits_from_several_processes(app_config, tmp_path):
    definition = SURVEYS_YAML.replace("  - slug: exit\n", "  - slug: exit\n    max_responses: 10\n")
    config = dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, definition))
    create_app(config)  # one schema set-up before the race
    # spawn, not fork: a fork copies whatever lock another thread of this test process held (a timer, a
    # server of an earlier test), and under load a child once waited on one for ever.
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    workers = [spawn.Process(target=_post_until_closed, args=(config, n, results)) for n in range(4)]
    for worker in workers:
        worker.start()
    codes = [code for _ in workers for code in results.get(timeout=300)]
    for worker in workers:
        worker.join()
    assert codes.count(303) == 10 and codes.count(410) == 22
    assert len(stored_rows(config)) == 10


def test_a_journal_from_the_release_before_surveys_keeps_working(app_config, tmp_path):
    data = Path(app_config["DATA_DIR"])
    data.mkdir(parents=True)
    db = sqlite3.connect(data / "journal.sqlite3")
    db.executescript(RELEASE_1.read_text())
    db.close()
    client = create_app(app_config).test_client()
    log_in(client)
    hits = client.get("/analyst/api/search?q=deploys").json["hits"]
    assert [(h["survey"], h["survey_version"], h["question"]) for h in hits] == [("survey", 1, "essay")]
    assert hits[0]["answers"] == {"essay": "The old release kept my answer about slow deploys."}
    rows = list(csv.DictReader(io.StringIO(client.get("/analyst/export.csv").get_data(as_text=True))))
    assert [(r["survey"], r["essay"]) for r in rows] == [("survey", "Spam spam spam from before."),
                                                          ("survey", "The old release kept my answer about slow deploys.")]
    assert client.post("/", data={"essay": "A new answer beside the old ones.", "email": "n@example.org"}
                       ).status_code == 303
    assert client.get("/analyst/api/search?q=answer").json["total"] == 2


def test_erasing_a_many_answer_response_leaves_none_of_its_answers_on_disk(surveys_config, surveys_client):
    for n in range(3):  # neighbours, so the FTS segments holding the erased words live on
        surveys_client.post("/s/onboarding", data=onboarding_answer(experience=f"other answer {n}", headline=f"x {n}"))
    body = onboarding_answer(experience="Zanzibar quokka onboarding tale", headline="Quillback headline words")
    receipt = receipt_of(surveys_client.post("/s/onboarding?source=Xylophonist", data=body))
    app = create_app(surveys_config)
    result = app.test_cli_runner().invoke(args=["erase", "--receipt", receipt, "--yes"])
    assert result.exit_code == 0 and "Erased 1 answer." in result.output
    raw = b"".join(p.read_bytes() for p in Path(surveys_config["DATA_DIR"]).glob("journal.sqlite3*"))
    for secret in (b"Zanzibar", b"zanzibar", b"quokka", b"Quillback", b"quillback", b"Xylophonist"):
        assert secret not in raw, secret


def test_hidden_fields_named_like_url_for_arguments_work(app_config, tmp_path):
    """Issue 30 #14: hidden fields called slug or endpoint gave a 500."""
    definition = SURVEYS_YAML.replace("  - slug: exit\n", "  - slug: exit\n    hidden: [slug, endpoint]\n")
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, definition)))
    client = app.test_client()
    link = "/s/exit?slug=newsletter&endpoint=mail"
    form = client.get(link)
    assert form.status_code == 200
    answer = client.post(link, data={"reason": "Moving city."})
    assert answer.status_code == 303
    (stored,) = stored_rows(app.config)
    assert {k: json.loads(stored[3])[k] for k in ("slug", "endpoint")} == {"slug": "newsletter", "endpoint": "mail"}
