"""Issue 42 #2/#3: "answers like this" by meaning, in both engines: paraphrases that share no words are found,
erased answers never are, and a server without the model says so."""
import pytest

from collector import create_app, journal
from collector.meaning import vectors
from models import receipt_for
from tests.helpers import log_in, store
from tests.meaning.conftest import PRICE, embed_all


def like(client, doc_id, by="meaning", size=2):
    """The similar answers' response."""
    return client.get(f"/analyst/api/responses/{doc_id}/similar?by={by}&size={size}")


def test_answers_like_this_by_meaning_are_the_paraphrases_that_share_no_words(answered):
    _, client, ids = answered
    hits = like(client, ids[PRICE[0]]).json["hits"]
    assert {hit["id"] for hit in hits} == {ids[PRICE[1]], ids[PRICE[2]]}
    assert 0 < hits[1]["similarity"] <= hits[0]["similarity"] <= 1
    by_words = like(client, ids[PRICE[0]], by="words").json["hits"]
    assert ids[PRICE[1]] not in {hit["id"] for hit in by_words}  # not one word in common
    assert all("similarity" not in hit for hit in by_words)


def test_an_erased_answer_and_its_vector_are_gone(answered):
    app, client, ids = answered
    gone = ids[PRICE[1]]
    assert gone in {hit["id"] for hit in like(client, ids[PRICE[0]]).json["hits"]}
    assert client.post("/analyst/erase", data={"receipt": receipt_for(gone), "confirm": "yes"}).status_code == 303
    embed_all(app)
    hits = like(client, ids[PRICE[0]], size=6).json["hits"]
    assert gone not in {hit["id"] for hit in hits} and len(hits) == 5
    with app.app_context():
        assert vectors.of(journal.get_db(), gone) is None


@pytest.mark.parametrize("query, message", [("by=letters", "'by' is words or meaning"), ("size=0", "from 1 to 50"),
                                            ("size=x", "whole number")])
def test_a_similar_request_that_cannot_be_answered_says_why(answered, query, message):
    _, client, ids = answered
    response = client.get(f"/analyst/api/responses/{ids[PRICE[0]]}/similar?{query}")
    assert response.status_code == 400 and message in response.json["error"]


def test_a_server_without_the_model_says_meaning_is_unavailable_and_how_to_fix_it(app_config, tmp_path):
    app = create_app(dict(app_config, MODEL_DIR=str(tmp_path)))
    doc_id = store(app, "The price is too high")
    client = app.test_client()
    log_in(client)
    for response in (like(client, doc_id), client.get("/analyst/api/themes?by=meaning"),
                     client.get("/analyst/api/search?q=price&mode=meaning")):
        assert response.status_code == 503 and "make model" in response.json["error"]
    assert like(client, doc_id, by="words").status_code == 200
    assert b"Group by" not in client.get("/analyst/themes").data  # no switch to a way this server lacks
