"""Issue 28 #4: the app's own words on the respondent's pages through Flask-Babel, in English and in
German, and a German catalogue that holds every word the pages use."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from collector import create_app
from tests.helpers import write_surveys
from tests.respondent.test_languages import WELCOME

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("collector/**.py", "python"), ("templates/survey/**.html", "jinja2"), ("templates/_macros.html", "jinja2"),
           ("templates/base.html", "jinja2")]


def test_the_german_catalogue_translates_every_word_of_the_respondents_pages():
    used = {message for _, _, message, *_ in extract_from_dir(str(ROOT), METHODS, {**DEFAULT_KEYWORDS, "_l": None})}
    with open(ROOT / "translations/de/LC_MESSAGES/messages.po", "rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string}
    assert used and used <= translated, used - translated
    with open(ROOT / "translations/de/LC_MESSAGES/messages.mo", "rb") as f:  # what the app reads: compiled since
        assert {m.id for m in read_mo(f) if m.id} == translated


def test_the_form_speaks_the_respondents_language_down_to_its_buttons_and_errors(app_config, tmp_path):
    client = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, WELCOME))).test_client()
    german = client.post("/s/welcome?lang=de", data={}).get_data(as_text=True)
    assert "Antwort senden" in german and "Bitte wählen Sie eine Antwort." in german and "(freiwillig)" in german
    english = client.post("/s/welcome?lang=en", data={}).get_data(as_text=True)
    assert "Send my answer" in english and "Please choose an answer." in english and "Antwort" not in english
