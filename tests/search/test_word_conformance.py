"""Issue 41 #1: the words a person types find the same answers in both engines, in every language the
answers are given in: accents folded everywhere, words split at the same marks (node.js, team's,
l'équipe) and phrases that keep their stop words. Each row of the issue's table is a case."""
import re

import pytest

from collector import create_app
from tests.helpers import WORLD_SURVEY, drain, log_in, module_config, write_surveys

SURVEYS = "surveys:" + WORLD_SURVEY
CORPUS = [  # (language, answer)
    ("de", "Das Café war zu voll, aber der Kuchen war gut."),
    ("fr", "L'été dernier, l'équipe du café était formidable."),
    ("en", "The café near the office is great."),
    ("en", "We moved the backend to Node.js last year."),
    ("en", "Each node in the cluster restarted."),
    ("en", "The team's plan wasn't clear to anyone."),
    ("en", "The team met every week."),
    ("en", "A team of five built it."),
    ("de", "Die Mannschaft spielte im Stadion."),
    ("fr", "Les équipes jouent à Paris."),
    ("en", "The backend is fine.", "Node.js crashed twice."),  # two texts: neither is the whole answer
]


@pytest.fixture(scope="module", params=["embedded", "opensearch"])
def engine(request, tmp_path_factory):
    """(logged-in client, answer text → corpus position) for one engine holding CORPUS."""
    folder = tmp_path_factory.mktemp("surveys")
    app = create_app(module_config(request, tmp_path_factory, SURVEYS_FILE=write_surveys(folder, SURVEYS)))
    client = app.test_client()
    for language, text, *more in CORPUS:
        assert client.post(f"/s/world?lang={language}", data={"said": text, "more": more}).status_code == 303
    if request.param == "opensearch":
        assert drain(app).shipped == len(CORPUS)
    log_in(client)
    return client


def search(client, **params):
    """The hits of a search (a 200 is asserted)."""
    response = client.get("/analyst/api/search", query_string=params)
    assert response.status_code == 200, response.json
    return response.json["hits"]


def found(client, q, **params):
    """Corpus positions of every answer a query finds."""
    texts = [text for _, text, *_ in CORPUS]
    return {texts.index(hit["answers"]["said"]) for hit in search(client, q=q, **params)}


@pytest.mark.parametrize("q, expected", [
    ("cafe", {0, 1, 2}),  # accents are folded in German and French answers too
    ("café", {0, 1, 2}),
    ("ete", {1}),
    ("node", {3, 4, 10}),  # node.js is the words node and js
    ("node.js", {3, 10}),
    ('"node js"', {3, 10}),
    ("team's", {5}),  # team's is team and s
    ("team", {5, 6, 7}),
    ("wasn't", {5}),
    ("equi*", {1, 9}),  # l'équipe is l and équipe
    ("équi*", {1, 9}),
    ("l'équipe", {1}),
    ('"the team"', {5, 6}),  # a phrase keeps its stop words: "A team" is not "the team"
    ('"team of five"', {7}),
    ("foo_bar OR backend", {3, 10}),  # an underscore splits words as any other mark does
])
def test_the_same_words_find_the_same_answers_in_both_engines(engine, q, expected):
    assert found(engine, q) == expected


@pytest.mark.parametrize("q, question, expected", [
    ("node", "said", {3, 4}),  # an answer's only text, and a text beside another
    ("node", "more", {10}),
    ("backend -node", "said", {10}),
    ("-node", "more", set(range(10))),  # every answer whose "more" lacks the word (most have none)
])
def test_in_looks_at_one_questions_words_whether_or_not_it_is_the_answers_only_text(engine, q, question, expected):
    assert found(engine, q, **{"in": question}) == expected


@pytest.mark.parametrize("q, words", [
    ("cafe", {"café", "Café"}),
    ("équi*", {"équipe", "équipes"}),
])
def test_both_engines_mark_the_words_that_matched(engine, q, words):
    marked = {word for hit in search(engine, q=q) for word in re.findall("<mark>([^<]+)</mark>", hit["highlight"])}
    assert marked == words
