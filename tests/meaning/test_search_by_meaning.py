"""Issue 42 #3: search by meaning (mode=meaning) and fused with words (mode=hybrid), in both engines, every
filter still applying."""
import pytest

from tests.meaning.conftest import OTHER, PRICE


@pytest.fixture
def analyst(answered):
    """The signed-in client of an app in each engine with the seven answers, and their ids."""
    _, client, ids = answered
    return client, ids


def texts(client, **params):
    """The essays of a search's hits, in order, and the response."""
    response = client.get("/analyst/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [hit["answers"]["essay"] for hit in response.json["hits"]], response.json


def test_search_by_meaning_finds_answers_that_share_no_word_with_the_query(analyst):
    client, _ = analyst
    found, body = texts(client, q="overpriced", mode="meaning")
    assert set(found[:3]) == set(PRICE)
    assert [hit["similarity"] for hit in body["hits"]] == sorted((hit["similarity"] for hit in body["hits"]), reverse=True)
    assert texts(client, q="overpriced")[0] == []  # by words: not one answer holds it


def test_every_filter_still_applies_by_meaning(analyst):
    client, _ = analyst
    found, body = texts(client, q="overpriced", mode="meaning", spam="exclude")
    assert PRICE[2] not in found and set(found[:2]) == {PRICE[0], PRICE[1]} and body["total"] == 5


def test_hybrid_puts_first_what_both_rankings_hold(analyst):
    client, _ = analyst
    found, body = texts(client, q="price", mode="hybrid")
    assert found[0] == PRICE[0]  # the one answer with the word, and near in meaning
    assert set(found[1:3]) == {PRICE[1], PRICE[2]}  # near in meaning only
    assert "<mark>" in body["hits"][0]["highlight"] and "similarity" in body["hits"][0]


@pytest.mark.parametrize("params, message", [({"q": "x", "mode": "sense"}, "mode must be"),
                                             ({"mode": "meaning"}, "needs words")])
def test_a_search_by_meaning_that_cannot_run_says_why(analyst, params, message):
    client, _ = analyst
    response = client.get("/analyst/api/search", query_string=params)
    assert response.status_code == 400 and message in response.json["error"]


def test_the_dashboard_ranks_by_meaning_and_counts_and_exports_the_answers_it_ranks_among(analyst):
    client, _ = analyst
    page = client.get("/analyst/?q=overpriced&mode=meaning&spam=exclude").get_data(as_text=True)
    assert 'id="mode"' in page and "This meaning" in page
    assert page.index(PRICE[0]) < page.index(OTHER[1]) and "5 answers" in page
    exported = client.get("/analyst/export.csv?q=overpriced&mode=meaning&spam=exclude").get_data(as_text=True)
    assert exported.count("\n") == 1 + 5  # the header, and the five answers the filters select
