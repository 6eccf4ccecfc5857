"""Issue 28 #4 (its first part): a survey in several languages. Texts in the respondent's language
(?lang=, then Accept-Language, then the first), falling back where a translation is missing; stored
values that never depend on the language; the answer's language kept, filtered and exported; both engines."""
import csv
import io

import pytest

from collector import create_app
from collector.journal import mode
from collector.surveys import SurveyError, loading
from tests.helpers import drain, log_in, write_surveys

WELCOME = """
surveys:
  - slug: welcome
    title: {en: Welcome, de: Willkommen}
    languages: [en, de]
    email: "off"
    questions:
      - id: role
        type: choice
        label: {en: Your role, de: Ihre Rolle}
        help: Pick one.
        required: true
        options: [{en: Engineer, de: Ingenieurin}, {en: Manager, de: Managerin}]
      - {id: note, type: text, label: {en: A note}}
"""


@pytest.fixture
def app(engine_config, tmp_path):
    return create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, WELCOME)))


@pytest.mark.parametrize("args, headers, language", [
    ({"lang": "de"}, {}, "de"), ({}, {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}, "de"),
    ({"lang": "fr"}, {}, "en"), ({}, {}, "en"), ({"lang": "en"}, {"Accept-Language": "de"}, "en"),
])
def test_the_form_reads_in_the_respondents_language(app, args, headers, language):
    page = app.test_client().get("/s/welcome", query_string=args, headers=headers).get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    german = ("Willkommen" in page, "Ihre Rolle" in page, ">Ingenieurin</label>" in page)
    assert german == ((True,) * 3 if language == "de" else (False,) * 3)
    assert "Pick one." in page and "A note" in page  # no German yet: the first language's


def test_an_answer_keeps_a_language_free_value_and_its_language_which_analysts_filter_and_export(app):
    respondent = app.test_client()
    done = respondent.post("/s/welcome?lang=de", data={"role": "Engineer", "note": "Guten Tag"})
    assert done.status_code == 303 and "lang=de" in done.location
    # the thank-you page too
    assert '<html lang="de">' in respondent.get(done.location).get_data(as_text=True)
    respondent.post("/s/welcome", data={"role": "Manager"})
    if mode.of(app).ships:
        drain(app)
    analyst = app.test_client()
    log_in(analyst)
    hits = analyst.get("/analyst/api/search", query_string={"lang": "de"}).json["hits"]
    assert [hit["answers"] for hit in hits] == [{"role": "Engineer", "note": "Guten Tag", "language": "de"}]
    assert len(analyst.get("/analyst/api/search", query_string={"f.role": "Engineer"}).json["hits"]) == 1
    rows = list(csv.DictReader(io.StringIO(analyst.get("/analyst/export.csv?survey=welcome").get_data(as_text=True))))
    assert sorted(row["language"] for row in rows) == ["de", "en"]
    page = analyst.get(f"/analyst/responses/{hits[0]['id']}").get_data(as_text=True)
    # a detail of the answer, not a question
    assert 'id="language">answered in <span lang="de">de</span>' in page
    assert '<dt class="mt-3">language</dt>' not in page and 'id="email">none given<' in page


def test_surveys_check_lists_missing_translations_without_refusing_the_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["surveys", "check", str(tmp_path / "surveys.yaml")])
    assert result.exit_code == 0 and "OK." in result.output
    assert "missing translation:" in result.output and "question 'note': 'label' has no de" in result.output


@pytest.mark.parametrize("change, message", [
    (("    languages: [en, de]\n", ""), "give the survey 'languages:' first"),
    (("de: Ihre Rolle", "fr: Votre rôle"), "not 'fr'"),
    (("{en: A note}", "{de: Eine Notiz}"), "needs its text in en"),
    (("[en, de]", "[en, en]"), "different language tags"),
])
def test_a_translation_that_cannot_be_read_is_refused_naming_where(tmp_path, change, message):
    with pytest.raises(SurveyError, match=message):
        loading.load(write_surveys(tmp_path, WELCOME.replace(*change)), 10_000)
