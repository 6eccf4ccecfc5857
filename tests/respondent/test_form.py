"""The respondent's form: validation, CSRF, and never losing the text."""
import re
import sqlite3

import pytest

from collector import create_app, journal
from models import id_for_receipt
from tests.helpers import SURVEYS_YAML, receipt_of, submit, write_surveys

LONG = "word " * 2001  # 10,005 characters


def test_form_renders_question_and_fields(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="essay"' in page and 'name="email"' in page
    assert "Share your experience" in page
    assert "cdn." not in page  # Bootstrap assets are served locally


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"essay": "", "email": "a@example.org"}, "essay", "Please write your answer."),
        ({"essay": "   \n\t ", "email": "a@example.org"}, "essay", "Please write your answer."),
        ({"email": "a@example.org"}, "essay", "Please write your answer."),
        ({"essay": LONG, "email": "a@example.org"}, "essay", "the limit is 10,000"),
        ({"essay": "Hello", "email": ""}, "email", "Please give your email address."),
        ({"essay": "Hello", "email": "not-an-email"}, "email", "does not look like an email"),
        ({"essay": "Hello", "email": "a@b"}, "email", "does not look like an email"),
        ({"essay": "Hello"}, "email", "Please give your email address."),
    ],
)
def test_bad_input_is_refused_with_its_message_and_text_kept(client, data, field, message):
    response = client.post("/", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page and f'aria-describedby="{field}-help {field}-error"' in page
    if data.get("essay", "").strip():
        assert data["essay"].strip()[:50] in page


def test_nothing_is_stored_for_a_rejected_post(client, analyst):
    submit(client, email="nope")
    assert analyst.get("/analyst/api/search").json["total"] == 0


def test_essay_limit_is_configurable(app_config):
    app_config["ESSAY_MAX_CHARS"] = 20
    client = create_app(app_config).test_client()
    assert submit(client, essay="x" * 21).status_code == 400
    assert submit(client, essay="x" * 20).status_code == 303


def test_valid_answer_redirects_to_its_receipt(client, analyst):
    response = submit(client, essay="Line one\r\nline two", email="Someone@Example.ORG")
    assert response.status_code == 303
    doc_id = id_for_receipt(receipt_of(response))
    page = client.get(response.location).get_data(as_text=True)
    assert receipt_of(response) in page and "erase" in page
    doc = analyst.get(f"/analyst/responses/{doc_id}").get_data(as_text=True)
    assert "someone@example.org" in doc and "Line one\nline two" in doc


def test_thanks_page_refuses_a_malformed_receipt(client):
    assert client.get("/thanks/not-a-receipt").status_code == 404


def test_csrf_is_enforced_and_the_essay_survives_an_expired_token(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    client = create_app(app_config).test_client()
    essay = "My carefully written answer that took an hour."
    response = submit(client, essay=essay, csrf_token="expired-or-forged")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert essay in page and "submit it again" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert submit(client, essay=essay, csrf_token=token).status_code == 303
    assert client.post("/analyst/login", data={"name": "ada", "password": "x"}).status_code == 400


def test_with_cookies_blocked_the_form_says_cookies_are_needed_and_keeps_the_answer(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    client = create_app(app_config).test_client(use_cookies=False)  # a browser that blocks cookies
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    essay = "Written with cookies blocked."
    response = submit(client, essay=essay, csrf_token=token)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and essay in text
    assert "did not send back its cookie" in text and "allow cookies for this site" in text
    assert "open for a long time" not in text


def test_journal_failure_keeps_the_text_and_says_so(client, app, monkeypatch):
    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(journal, "insert", fail)
    response = submit(client, essay="Please keep me")
    assert response.status_code == 503
    assert "Please keep me" in response.get_data(as_text=True)


def test_a_required_checkbox_group_says_so_on_every_box(app_config, tmp_path):
    required = SURVEYS_YAML.replace("label: \"Which tools did you use?\", options: [Slack, Docker, VPN]}",
                                    "label: \"Which tools did you use?\", options: [Slack, Docker, VPN], required: true}")
    client = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, required))).test_client()
    page = client.get("/s/onboarding").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="tools"[^>]*>', page)
    assert len(boxes) == 3 and all('aria-required="true"' in box for box in boxes)
    assert re.search(r'<fieldset[^>]*id="role"[^>]*role="radiogroup"[^>]*aria-required="true"', page)


def test_a_rating_says_what_its_ends_mean(app_config, tmp_path):
    labelled = SURVEYS_YAML.replace("label: \"How satisfied are you?\", min: 1, max: 5}",
                                    "label: \"How satisfied are you?\", min: 1, max: 5, min_label: Not at all, "
                                    "max_label: Completely}")
    client = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, labelled))).test_client()
    page = client.get("/s/onboarding").get_data(as_text=True)
    assert re.search(r'<fieldset[^>]*id="satisfaction"[^>]*aria-describedby="satisfaction-help"', page)
    assert '<div id="satisfaction-help" class="form-text">1 = Not at all, 5 = Completely</div>' in page
