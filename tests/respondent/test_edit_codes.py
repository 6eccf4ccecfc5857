"""Issue 38 #6: a receipt names an answer and grants nothing; changing the answer needs the edit code given
only to the respondent (stored as a digest, so no store, export or API can hand it out)."""
import csv
import io
import re

import pytest

from collector import create_app, journal
from collector.journal import mode
from tests.helpers import drain, edit_code, hits, log_in, receipt_of, traces, write_surveys
from tests.respondent.test_edits import SURVEYS  # the mood survey, changeable for 7 days

TEXT = "Worried about the reorganisation"


@pytest.fixture
def app(engine_config, tmp_path):
    return create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS), SUBMIT_RATE_LIMIT="5/minute"))


@pytest.fixture
def sent(app):
    """An answer with an email, sent by its respondent's browser: (that browser, receipt, edit code)."""
    respondent = app.test_client()
    receipt = receipt_of(respondent.post("/s/mood", data={"feeling": TEXT, "email": "worried@example.org"}))
    if mode.of(app).ships:
        drain(app)
    return respondent, receipt, edit_code(respondent, receipt)


def csrf_token(client, url):
    """The CSRF token of the form a page holds."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(as_text=True))[1]


def test_the_receipt_analysts_export_does_not_open_the_answer_to_anyone(app, sent):
    _, receipt, code = sent
    analyst = app.test_client()
    log_in(analyst)
    [row] = csv.DictReader(io.StringIO(analyst.get("/analyst/export.csv?survey=mood").get_data(as_text=True)))
    assert row["receipt"] == receipt and code not in str(row)
    stranger = app.test_client()  # anyone who read the export or an API hit
    page = stranger.get(f"/thanks/{receipt}").get_data(as_text=True)
    assert 'id="edit"' in page and 'id="edit-code"' not in page and code not in page
    for guess in ("", "aaaa-bbbb-cccc-dddd"):
        response = stranger.post(f"/thanks/{receipt}/edit", data={"edit_code": guess})
        assert response.status_code == 403
        assert "not the edit code" in response.get_data(as_text=True)
        assert "worried@example.org" not in response.get_data(as_text=True)
    [hit] = hits(app, q="reorganisation")
    assert hit["version"] == 1


def test_the_edit_code_opens_the_answer_from_any_browser_as_typed(app, sent):
    _, receipt, code = sent
    elsewhere = app.test_client()
    typed = code.upper().replace("-", " ")  # read aloud, typed in capitals with spaces
    response = elsewhere.post(f"/thanks/{receipt}/edit", data={"edit_code": typed})
    assert response.status_code == 303
    assert TEXT in elsewhere.get(response.location).get_data(as_text=True)


def test_only_a_digest_of_the_code_is_stored_anywhere(app, sent, request):
    _, receipt, code = sent
    domain = request.getfixturevalue("domain") if mode.of(app).ships else None
    letters = code.replace("-", "")
    assert traces([TEXT], [app], domain)  # the walk finds what is there
    assert traces([code, letters], [app], domain) == []


def test_guessing_codes_is_limited_like_sending_answers(app, sent):
    _, receipt, _ = sent
    guesser = app.test_client()
    statuses = [guesser.post(f"/thanks/{receipt}/edit", data={"edit_code": f"{n:016d}"}).status_code for n in range(6)]
    assert statuses == [403] * 5 + [429]


def test_the_edit_form_is_csrf_checked(engine_config, tmp_path):
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS), WTF_CSRF_ENABLED=True))
    client = app.test_client()
    token = csrf_token(client, "/s/mood")
    receipt = receipt_of(client.post("/s/mood", data={"feeling": "Fine", "csrf_token": token}))
    code = edit_code(client, receipt)
    assert client.post(f"/thanks/{receipt}/edit", data={"edit_code": code}).status_code == 400
    token = csrf_token(client, f"/thanks/{receipt}")
    assert "/r/" in client.post(f"/thanks/{receipt}/edit", data={"csrf_token": token, "edit_code": code}).location


def test_an_answer_sent_before_edit_codes_cannot_be_changed_by_its_receipt(app):
    respondent = app.test_client()
    receipt = receipt_of(respondent.post("/s/mood", data={"feeling": "Sent by an older release"}))
    with app.app_context():  # what an older release stored: no digest
        journal.get_db().execute("UPDATE responses SET edit_key = NULL")
    if mode.of(app).ships:
        drain(app)
    assert 'id="edit"' not in respondent.get(f"/thanks/{receipt}").get_data(as_text=True)
    response = respondent.post(f"/thanks/{receipt}/edit", data={"edit_code": edit_code(respondent, receipt) or "x"})
    assert response.status_code == 403 and "before answers had edit codes" in response.get_data(as_text=True)
