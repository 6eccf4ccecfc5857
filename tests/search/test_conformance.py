"""One set of search behaviours, expected results written once, run against both engines:
the embedded FTS5 engine and the real OpenSearch node (behind the SigV4 front door)."""
import html
import re
from datetime import datetime, timedelta, timezone

import pytest

from collector import create_app
from tests.helpers import drain, log_in, module_config, store

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)
CORPUS = [  # (essay, spam); answer n is submitted n days after T0
    ("We deploy every Friday and the deployment never fails.", False),
    ("Deployed on Monday; deploying again is automated now.", False),
    ("Automation saved us hours, and the automatic checks help.", False),
    ("I was running late, but the runner kept the pace.", False),
    ("Customer service was slow to answer.", False),
    ("The service team answered fast, no complaints.", True),
    ("The dashboard is slow when the report is big.", False),
    ("<b>Bold</b> & brave: our tooling matters.", False),
    ("Отличный сервис, спасибо! Naïve café owners.", False),
    ("报表很慢 but the export works.", False),
]


@pytest.fixture(scope="module", params=["embedded", "opensearch"])
def engine(request, tmp_path_factory):
    """(name, logged-in client, ids by corpus position) for one engine holding CORPUS."""
    app = create_app(module_config(request, tmp_path_factory))
    state = "shipped" if request.param == "embedded" else "pending"
    ids = [store(app, essay, email=f"r{n}@example.org", when=T0 + timedelta(days=n), spam=spam, state=state)
           for n, (essay, spam) in enumerate(CORPUS)]
    if request.param != "embedded":
        assert drain(app).shipped == len(CORPUS)
    client = app.test_client()
    log_in(client)
    return request.param, client, ids


def found(engine, **params):
    """Corpus positions of every answer the engine returns for these parameters."""
    _, client, ids = engine
    response = client.get("/analyst/api/search", query_string=params)
    assert response.status_code == 200, response.json
    return {ids.index(hit["id"]) for hit in response.json["hits"]}


@pytest.mark.parametrize("q, expected", [
    ("deploy", {0, 1}),  # Porter: deploy, deployed, deploying -> deploi (deployment -> deploy)
    ("deployment", {0}),
    ("automated", {1, 2}),  # automated, automation -> autom
    ("running", {3}),  # the stem run; runner is another word
    ("answers", {4, 5}),  # answer, answered -> answer
    ('"customer service"', {4}),
    ('"service customer"', set()),
    ("service -slow", {5}),
    ("slow OR fast", {4, 5, 6}),
    ("slow | fast", {4, 5, 6}),
    ("slow report", {6}),
    ("-slow", {0, 1, 2, 3, 5, 7, 8, 9}),
    ("NOT slow", {0, 1, 2, 3, 5, 7, 8, 9}),  # issue 29: NOT was dropped as a stop word
    ("service AND NOT slow", {5}),
    ("slow AND report", {6}),
    ("deploy*", {0, 1}),  # words that begin with "deploy": deploy, deployment, deployed, deploying
    ("deployed*", {1}),
    ("deplo*", {0, 1}),
    ("automat*", {1, 2}),  # automated, automation, automatic
    ("runn*", {3}),
    ("happ*", set()),
    ("-deploy*", {2, 3, 4, 5, 6, 7, 8, 9}),
    ("automat* -deploy*", {2}),
    ("deploy* OR runn*", {0, 1, 3}),
    ("the service", {4, 5}),  # a stop word is ignored beside other words
    ("tooling", {7}),
    ("bold", {7}),
    ("сервис", {8}),  # words of other scripts match as written
    ("серв*", {8}),
    ("naive", {8}),  # nai\u0308ve is stemmed the same way by both (Porter leaves it)
    ("naïv*", {8}),  # prefixes fold accents in both
    ("cafe*", {8}),
    ("报表很慢", {9}),  # a run of ideographs as written (a word inside a run: see README)
    ("报表很慢 export", {9}),
])
def test_the_same_query_finds_the_same_answers(engine, q, expected):
    assert found(engine, q=q) == expected


@pytest.mark.parametrize("q", ["the", "The AND of", '"to be or not to be"'])
def test_a_query_of_stop_words_only_is_refused_with_a_reason(engine, q):
    response = engine[1].get("/analyst/api/search", query_string={"q": q})
    assert response.status_code == 400 and "too common" in response.json["error"]


@pytest.mark.parametrize("q", ["ⓐⓑⓒ", "ⓐⓑⓒ*", "-ⓐⓑⓒ*", "!!! ???"])
def test_a_query_of_symbols_only_is_refused_instead_of_matching_every_answer(engine, q):
    response = engine[1].get("/analyst/api/search", query_string={"q": q})
    assert response.status_code == 400 and "no letters or digits" in response.json["error"]


@pytest.mark.parametrize("q", ["a*", "de*", "x* y* z* w* v*", "a__*", "b__* c__* d__* f__*"])
def test_prefixes_too_short_or_too_many_are_refused_with_a_reason(engine, q):
    response = engine[1].get("/analyst/api/search", query_string={"q": q})
    assert response.status_code == 400 and "*" in response.json["error"]


@pytest.mark.parametrize("params, expected", [
    ({"from": "2026-05-06", "to": "2026-05-07"}, {2, 3}),  # inclusive days
    ({"to": "2026-05-04"}, {0}),
    ({"from": "2026-05-11"}, {7, 8, 9}),
    ({"to": "9999-12-31"}, set(range(10))),
    ({"q": "service", "spam": "exclude"}, {4}),
    ({"q": "service", "spam": "only"}, {5}),
    ({"email": "r3@example.org"}, {3}),
])
def test_filters_select_the_same_answers(engine, params, expected):
    assert found(engine, **params) == expected


def test_highlights_mark_the_words_and_escape_the_answer(engine):
    _, client, _ = engine
    (hit,) = client.get("/analyst/api/search", query_string={"q": "tooling"}).json["hits"]
    assert "<mark>tooling</mark>" in hit["highlight"]
    # OpenSearch also escapes /
    assert "&lt;b&gt;Bold&lt;" in hit["highlight"] and "<b>" not in hit["highlight"]
    assert html.unescape(re.sub("</?mark>", "", hit["highlight"])) == CORPUS[7][0]


def test_paging_stops_at_the_ten_thousand_hit_window(engine):
    response = engine[1].get("/analyst/api/search", query_string={"q": "slow", "page": 501})
    assert response.status_code == 400
    assert engine[1].get("/analyst/api/search", query_string={"q": "slow", "page": 500}).json["hits"] == []


@pytest.mark.parametrize("q, marked", [("deploy*", {"deploy", "Deployed", "deploying"}), ("automat*", {"Automation",
                                                                                                  "automatic"})])
def test_prefix_matches_are_highlighted(engine, q, marked):
    _, client, _ = engine
    hits = client.get("/analyst/api/search", query_string={"q": q}).json["hits"]
    assert hits and all("<mark>" in hit["highlight"] for hit in hits)
    assert marked <= {word for hit in hits for word in re.findall("<mark>([^<]+)</mark>", hit["highlight"])}


@pytest.mark.parametrize("params, expected", [
    ({"q": "deploy*"}, [1, 0]),  # prefixes only: no ranking to speak of, newest first in both
    ({"q": "automat* OR runn*"}, [3, 2, 1]),
    ({"spam": "exclude", "to": "2026-05-07"}, [3, 2, 1, 0]),  # filters only: newest first
    ({"q": "deploy*", "sort": "oldest"}, [0, 1]),
])
def test_without_whole_words_both_engines_order_newest_first(engine, params, expected):
    _, client, ids = engine
    hits = client.get("/analyst/api/search", query_string=params).json["hits"]
    assert [ids.index(hit["id"]) for hit in hits] == expected
