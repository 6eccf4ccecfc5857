"""The meaning tests' setting: answers given their vectors as the background embedder and the shipper would
(the `model_dir` fixture, in tests/conftest.py, finds the fetched model or skips saying how to fetch it)."""
import pytest

from collector import create_app, journal, meaning
from collector.shipping import shipper
from tests.helpers import drain, log_in, new_state, settle, store

PRICE = ["The price is too high", "It costs a fortune", "Far too expensive for what you get"]
OTHER = ["The night shift needs more nurses", "Parking near the office is impossible",
         "The rota changes too late to plan childcare", "Meetings run over every single week"]
SPAM = (PRICE[2], OTHER[0])


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
