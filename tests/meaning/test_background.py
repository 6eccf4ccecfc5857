"""Issue 42 #1: answers get their vectors in the background, never on the submit path, and again after an edit."""
import threading

import numpy as np

from collector import create_app, journal, meaning
from collector.common import clock as clock_module
from collector.journal import versions
from collector.meaning import background, vectors
from tests.helpers import store, submit, wait_until


def vector_of(app, doc_id):
    """The journal's vector of an answer, or None."""
    with app.app_context():
        return vectors.of(journal.get_db(), doc_id)


def test_the_background_embedder_gives_a_new_answer_its_vector(app_config, model_dir):
    app = create_app(dict(app_config, MODEL_DIR=str(model_dir), EMBED_AUTOSTART=True))
    doc_id = store(app, "The price is too high")  # stored as a submit stores it: no vector yet
    assert app.test_client().get("/healthz").status_code == 200  # a worker's first request starts it
    assert wait_until(lambda: vector_of(app, doc_id) is not None, timeout=60)


def test_a_flask_command_starts_no_embedder(app_config, model_dir):
    def embedders():
        return sum(thread.name == "embedder" for thread in threading.enumerate())
    before = embedders()  # other tests' apps may have theirs
    app = create_app(dict(app_config, MODEL_DIR=str(model_dir), EMBED_AUTOSTART=True))
    assert app.test_cli_runner().invoke(args=["--help"]).exit_code == 0
    assert embedders() == before
    app.test_client().get("/healthz")
    assert embedders() == before + 1


def test_an_edited_answer_loses_its_old_vector_and_gets_one_for_its_new_words(app_config, model_dir):
    app = create_app(dict(app_config, MODEL_DIR=str(model_dir)))
    doc_id = store(app, "The price is too high")
    with app.app_context():
        meaning.catch_up(app, journal.get_db())
        before = vector_of(app, doc_id)
        doc = journal.fetch(doc_id)
        doc.essay = "The night shift needs more nurses"
        doc.answers = {"essay": doc.essay}
        versions.replace(doc)
        assert vector_of(app, doc_id) is None
        assert meaning.catch_up(app, journal.get_db()) == 1
    after = vector_of(app, doc_id)
    assert float(np.dot(before, after)) < 0.5


def test_the_submit_path_never_embeds(app_config, model_dir, monkeypatch):
    app = create_app(dict(app_config, MODEL_DIR=str(model_dir)))

    def refuse(*args):
        raise AssertionError("the model was asked for on the submit path")
    monkeypatch.setattr(meaning, "model", refuse)
    response = submit(app.test_client(), "The price is too high")
    assert response.status_code == 303
    with app.app_context():
        assert [text for _, text in vectors.pending(journal.get_db(), 10)] == ["The price is too high"]


class Journal:
    """What politely() reads of the journal: the newest answer's seq, which a test moves on."""

    def __init__(self):
        self.newest = 1

    def execute(self, sql):
        assert sql == "SELECT max(seq) FROM responses"
        return self

    def fetchone(self):
        return (self.newest,)


def test_while_answers_keep_arriving_the_embedder_rests_as_long_as_each_batch_took(clock, monkeypatch):
    journal_ = Journal()
    batches = iter([(64, True), (64, True), (64, False), (0, False)])  # (embedded, answers arrived meanwhile)
    rests = []
    # the embedder's rests; the fake clock's advance stays
    monkeypatch.setattr(clock_module, "sleep", rests.append)

    def work(db):
        embedded, arrived = next(batches)
        clock.advance(2.0)  # each batch takes 2 s
        journal_.newest += arrived
        return embedded

    background.politely(journal_, work)
    assert rests == [2.0, 2.0]  # after the third batch nothing had arrived: no rest, straight on
