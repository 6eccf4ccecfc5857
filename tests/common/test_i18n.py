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
    # what the app reads: compiled since
    with open(ROOT / "translations/de/LC_MESSAGES/messages.mo", "rb") as f:
        assert {m.id for m in read_mo(f) if m.id} == translated


def test_the_form_speaks_the_respondents_language_down_to_its_buttons_and_errors(app_config, tmp_path):
    client = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, WELCOME))).test_client()
    german = client.post("/s/welcome?lang=de", data={}).get_data(as_text=True)
    assert "Antwort senden" in german and "Bitte wählen Sie eine Antwort." in german and "(freiwillig)" in german
    english = client.post("/s/welcome?lang=en", data={}).get_data(as_text=True)
    assert "Send my answer" in english and "Please choose an answer." in english and "Antwort" not in english


CLOSED = """
  - slug: later
    title: {en: Later, de: Später}
    languages: [en, de]
    email: "off"
    closes: 2020-01-01
    questions:
      - {id: said, type: essay, label: {en: Said, de: Gesagt}}
"""


def test_every_default_text_and_the_list_of_surveys_come_from_the_catalogue(app_config, tmp_path):
    client = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, WELCOME + CLOSED))).test_client()
    done = client.post("/s/welcome?lang=de", data={"role": "Engineer"})
    thanks = client.get(done.location).get_data(as_text=True)
    assert "Danke: Ihre Antwort ist gespeichert." in thanks and "Thank you" not in thanks
    assert "E-Mail" not in thanks  # email: off: no address to mention
    assert "Diese Umfrage ist geschlossen." in client.get("/s/later?lang=de").get_data(as_text=True)
    soon = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, WELCOME + CLOSED.replace(
        "closes: 2020-01-01", "opens: 2999-01-01"), "soon.yaml"))).test_client()
    opening = soon.get("/s/later?lang=de").get_data(as_text=True)
    assert "Diese Umfrage beginnt am <time" in opening and "Dienstag, 1. Januar 2999 um 00:00 UTC</time>" in opening
    listing = client.get("/?lang=de").get_data(as_text=True)
    assert "<h1 class=\"h3 mb-3\">Umfragen</h1>" in listing and '<html lang="de">' in listing
    assert "<h1 class=\"h3 mb-3\">Surveys</h1>" in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Umfragen" in client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    english = client.get(client.post("/s/welcome", data={"role": "Manager"}).location).get_data(as_text=True)
    assert "Thank you: your answer is saved." in english and "email address you gave" not in english
