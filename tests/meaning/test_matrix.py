"""Issue 42 #2: on a laptop, every answer's vector sits in one memory-mapped file its workers share; it
follows new, edited and erased answers, an erased vector leaves the file at once, and a lost file comes
back."""
import numpy as np
import pytest

from collector import create_app, journal
from collector.meaning import matrix, vectors
from models import receipt_for
from tests.helpers import log_in, store
from tests.meaning.conftest import PRICE, embed_all


@pytest.fixture
def laptop(app_config, model_dir):
    """An embedded app with three answers, each embedded; (app, client, {text: id})."""
    app = create_app(dict(app_config, MODEL_DIR=str(model_dir)))
    ids = {text: store(app, text) for text in PRICE}
    embed_all(app)
    client = app.test_client()
    log_in(client)
    return app, client, ids


def like(client, doc_id):
    """The ids of the answers like doc_id by meaning."""
    return [hit["id"] for hit in client.get(f"/analyst/api/responses/{doc_id}/similar?by=meaning&size=5").json["hits"]]


def file_of(app):
    """The matrix file's bytes."""
    return (matrix.folder_of(app.config) / "vectors.f32").read_bytes()


def vector_of(app, doc_id):
    """An answer's vector as the journal keeps it."""
    with app.app_context():
        return vectors.of(journal.get_db(), doc_id)


def test_the_vectors_are_one_file_that_new_answers_join_without_a_rebuild(laptop):
    app, client, ids = laptop
    assert set(like(client, ids[PRICE[0]])) == {ids[PRICE[1]], ids[PRICE[2]]}
    first = file_of(app)
    assert vector_of(app, ids[PRICE[1]]).tobytes() in first
    later = store(app, "Way overpriced compared with last year")
    embed_all(app)
    assert later in like(client, ids[PRICE[0]])
    grown = file_of(app)
    assert grown.startswith(first) and vector_of(app, later).tobytes() in grown


def test_a_worker_that_has_mapped_nothing_yet_reads_the_same_file(laptop):
    app, client, ids = laptop
    like(client, ids[PRICE[0]])
    matrix._mapped.clear()  # as a worker process that has mapped nothing yet
    other = app.test_client()
    log_in(other)
    assert set(like(other, ids[PRICE[0]])) == {ids[PRICE[1]], ids[PRICE[2]]}


def test_an_erased_answers_vector_leaves_the_file_at_once(laptop):
    app, client, ids = laptop
    like(client, ids[PRICE[0]])
    gone = ids[PRICE[1]]
    held = vector_of(app, gone).tobytes()
    assert held in file_of(app)
    assert client.post("/analyst/erase", data={"receipt": receipt_for(gone), "confirm": "yes"}).status_code == 303
    assert held not in file_of(app)
    assert gone not in like(client, ids[PRICE[0]])


def test_an_edited_answer_gets_its_new_vector_in_the_file(laptop):
    app, client, ids = laptop
    like(client, ids[PRICE[0]])
    old = vector_of(app, ids[PRICE[2]]).tobytes()
    new = np.eye(1, 384, dtype=np.float32)
    with app.app_context():
        vectors.save(journal.get_db(), [ids[PRICE[2]]], new)
    like(client, ids[PRICE[0]])
    assert new.tobytes() in file_of(app) and old not in file_of(app)


def test_a_lost_file_is_made_again_from_the_journal(laptop):
    app, client, ids = laptop
    before = like(client, ids[PRICE[0]])
    (matrix.folder_of(app.config) / "vectors.f32").unlink()
    assert like(client, ids[PRICE[0]]) == before


def test_a_fleet_keeps_no_file_and_notes_no_changes(search_config, model_dir):
    app = create_app(dict(search_config, MODEL_DIR=str(model_dir)))
    store(app, PRICE[0], state="pending")
    embed_all(app)
    with app.app_context():
        assert journal.get_db().execute("SELECT count(*) FROM vector_changes").fetchone()[0] == 0
    assert not (matrix.folder_of(app.config) / "vectors.f32").exists()
