"""Issue 28 #4: in search mode each answer's text is analysed in its own language (German and French by
their own stemmers, any other by English), so a word finds its German or French forms; the embedded
engine stems every language as English (README, "Languages")."""
import json

import pytest

from collector import create_app, surveys
from collector.shipping import sender
from models import index_body
from tests.helpers import WORLD_SURVEY, drain, log_in, write_surveys

SURVEYS = "surveys:" + WORLD_SURVEY + """
  - slug: plain
    title: Plain
    email: "off"
    questions:
      - {id: note, type: essay, label: Note, required: true}
"""
ANSWERS = [("de", "Wir arbeiten zu viel an den Häusern"), ("fr", "Les chevaux mangent les pommes"),
           ("en", "Workers keep working in the houses")]


@pytest.fixture
def analyst(search_config, tmp_path):
    app = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS)))
    client = app.test_client()
    for language, text in ANSWERS:
        assert client.post(f"/s/world?lang={language}", data={"said": text}).status_code == 303
    assert client.post("/s/plain", data={"note": "Arbeiten und Häuser, auf Deutsch ohne languages"}).status_code == 303
    drain(app)
    log_in(client)
    return client


def said(client, **params):
    """The texts of the answers a search finds, in the order of ANSWERS (the plain survey's as its note)."""
    hits = client.get("/analyst/api/search", query_string=params).json["hits"]
    return sorted(hit["answers"].get("said") or hit["answers"]["note"] for hit in hits)


@pytest.mark.parametrize("words, found", [
    ("arbeit", ["Wir arbeiten zu viel an den Häusern"]),  # German stems: arbeiten is arbeit
    ("haus", ["Wir arbeiten zu viel an den Häusern"]),  # Häusern, umlaut and plural undone
    ("cheval", ["Les chevaux mangent les pommes"]),  # French stems: chevaux is cheval
    ("pomme", ["Les chevaux mangent les pommes"]),
    ("work", ["Workers keep working in the houses"]),  # English stems, as before
    ("house", ["Workers keep working in the houses"]),
    ("work*", ["Workers keep working in the houses"]),  # prefixes read the words as typed, in every language
    ("arbei*", ["Arbeiten und Häuser, auf Deutsch ohne languages", "Wir arbeiten zu viel an den Häusern"]),
    ("arbeit -pommes", ["Wir arbeiten zu viel an den Häusern"]),
])
def test_each_answer_is_searched_in_its_own_language(analyst, words, found):
    assert said(analyst, q=words) == found


def test_a_language_filter_and_the_highlight_read_the_same_analysis(analyst):
    assert said(analyst, q="arbeit", lang="de") == ["Wir arbeiten zu viel an den Häusern"]
    assert said(analyst, q="arbeit", lang="fr") == [] and said(analyst, q="arbeit", survey="plain") == []
    [hit] = analyst.get("/analyst/api/search", query_string={"q": "haus", "in": "said"}).json["hits"]
    assert "<mark>Häusern</mark>" in hit["highlight"]


def test_an_index_analysed_by_an_earlier_release_keeps_its_answers_until_reindex_analyses_them_anew(
        search_config, domain, tmp_path, monkeypatch):
    monkeypatch.setattr(sender, "OUTDATED_RECHECK_SECONDS", 0)  # the shipper looks again at each batch
    app = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS)))
    body = json.loads(json.dumps(index_body(surveys.SURVEYS.of(app).field_kinds())).replace('"words_de"', '"german"'))
    # Lucene's own: accents kept, as the release before
    del body["settings"]["analysis"]["analyzer"]["german"]
    domain.create_index(body)
    client = app.test_client()
    assert client.post("/s/world?lang=de", data={"said": "Das Café war voll"}).status_code == 303
    assert drain(app).shipped == 1
    log_in(client)
    assert said(client, q="cafe") == []  # shipped into the old index, analysed the old way
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init-index"])
    assert result.exit_code == 1 and "words_de" in result.output and "Run reindex" in result.output
    assert runner.invoke(args=["reindex", "--poll", "0.1"]).exit_code == 0
    assert said(client, q="cafe") == ["Das Café war voll"] == said(client, q="cafe", **{"in": "said"})
    assert runner.invoke(args=["init-index"]).exit_code == 0
    # the same shipper, looking at the index again, sends the new form
    assert client.post("/s/world?lang=de", data={"said": "Noch ein Café"}).status_code == 303
    assert drain(app).shipped == 1
    assert said(client, q="cafe") == ["Das Café war voll", "Noch ein Café"]


@pytest.fixture
def marked(search_config, tmp_path):
    """A function giving the highlights of a search over answers in three languages and a plain survey."""
    app = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS)))
    client = app.test_client()
    for language, text in [("fr", "La page de garde de la revue"), ("en", "The runner of the deployment kept running"),
                           ("de", "Die Seite der Zeitung")]:
        assert client.post(f"/s/world?lang={language}", data={"said": text}).status_code == 303
    assert client.post("/s/plain", data={"note": "The plain form was fine"}).status_code == 303
    drain(app)
    log_in(client)
    return lambda **params: [hit["highlight"] for hit in client.get("/analyst/api/search", query_string=params).json[
        "hits"]]


@pytest.mark.parametrize("params, wanted, never", [
    # the language filter's term is no word of the answer
    ({"q": "page"}, "<mark>page</mark>", "<mark>de</mark>"),
    ({"q": "form", "survey": "plain"}, "<mark>form</mark>", "<mark>plain</mark>"),  # nor is a filter's value
    ({"q": "runner"}, "<mark>runner</mark>", "<mark>running</mark>"),  # nor another language's stem
    ({"q": "deploy"}, None, "<mark>deployment</mark>"),
])
def test_highlights_mark_only_what_matched(marked, params, wanted, never):
    found = " ".join(marked(**params))
    assert (wanted is None or wanted in found) and never not in found
