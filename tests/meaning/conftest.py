"""The meaning tests' setting: the fetched model (or a skip that says how to fetch it), and answers given
their vectors as the background embedder and the shipper would."""
import os
from pathlib import Path

import pytest

from collector import create_app, journal, meaning
from collector.meaning import embedder
from collector.shipping import shipper
from tests.helpers import drain, log_in, new_state, settle, store

MODEL_DIR = Path(__file__).resolve().parents[2] / "embedding-model"
PRICE = ["The price is too high", "It costs a fortune", "Far too expensive for what you get"]
OTHER = ["The night shift needs more nurses", "Parking near the office is impossible",
         "The rota changes too late to plan childcare", "Meetings run over every single week"]
SPAM = (PRICE[2], OTHER[0])


@pytest.fixture(scope="session")
def model_dir():
    """The fetched model's folder; a skip saying how to fetch it (a failure under REQUIRE_OPENSEARCH, as in CI)."""
    try:
        embedder.checked(MODEL_DIR)
    except embedder.ModelMissing as exc:
        if os.environ.get("REQUIRE_OPENSEARCH"):
            pytest.fail(f"REQUIRE_OPENSEARCH is set: {exc}", pytrace=False)
        pytest.skip(str(exc))
    return MODEL_DIR


def embed_all(app):
    """Give every answer its vector (the background embedder's work), ship them where answers ship; how many."""
    with app.app_context():
        done = meaning.catch_up(app, journal.get_db())
    if shipper.SHIPPER.find(app):
        drain(app)  # the answers first, then (a step of the next pass) their vectors
    settle(app)
    return done


@pytest.fixture
def answered(engine_config, model_dir):
    """An app in each engine with seven answers (two marked spam), each with its vector; (app, signed-in
    client, {text: id})."""
    app = create_app(dict(engine_config, MODEL_DIR=str(model_dir)))
    ids = {text: store(app, text, state=new_state(app), spam=text in SPAM) for text in PRICE + OTHER}
    assert embed_all(app) == len(ids)
    client = app.test_client()
    log_in(client)
    return app, client, ids
