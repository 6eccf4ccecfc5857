"""Issue 42 #2 on the real node: an index made before vectors (no `index.knn`) keeps taking answers; their
vectors wait, search by meaning says to reindex, and after `flask reindex` the vectors ship and are found."""
import es_client
from collector import create_app, journal
from collector.shipping import indices
from tests.helpers import drain, log_in, store
from tests.meaning.conftest import embed_all

TEXTS = ["The price is too high", "It costs a fortune", "The night shift needs more nurses"]


def test_an_index_from_before_vectors_keeps_shipping_and_reindex_brings_the_meaning(search_config, model_dir, domain,
                                                                                     clock):
    app = create_app(dict(search_config, MODEL_DIR=str(model_dir)))
    client = es_client.get_client(app)
    indices.ensure_index(client, domain.alias, {"essay": "text"})  # as an earlier release made it: no vectors
    ids = [store(app, text, state="pending") for text in TEXTS]
    embed_all(app)
    assert set(ids) <= set(domain.docs())  # the answers shipped as ever
    analyst = app.test_client()
    log_in(analyst)
    refused = analyst.get(f"/analyst/api/responses/{ids[0]}/similar?by=meaning&size=1")
    assert refused.status_code == 409 and "flask reindex" in refused.json["error"]
    with app.app_context():
        waiting = journal.get_db().execute("SELECT count(*) FROM answer_vectors WHERE shipped = 0").fetchone()[0]
    assert waiting == len(TEXTS)
    assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    clock.advance(61)  # the shipper looks at the index again once a minute
    drain(app)
    found = analyst.get(f"/analyst/api/responses/{ids[0]}/similar?by=meaning&size=1").json["hits"]
    assert [hit["id"] for hit in found] == [ids[1]]
