"""A three-node cluster (three JVMs) loses a node, hard, while 2,000 answers are shipped: every
answer ends in the index exactly once, searches keep answering, /healthz says what it sees."""
import threading
import time
import uuid

import pytest

from collector import create_app, journal
from collector.shipping.shipper import SHIPPER
from opensearch.node import Node, Unavailable, free_port
from tests.frontdoor.domain import Domain
from tests.helpers import KEY, SECRET, TOKEN, log_in, signing_environment, store, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.cluster]
NAMES = ["node-1", "node-2", "node-3"]


@pytest.fixture(scope="module")
def cluster(opensearch_url):
    """Three nodes started one after another, 512 MiB of heap each; yields them once the cluster is green."""
    ports = [free_port() for _ in NAMES]
    nodes = [Node(name=name, transport_port=port, heap="512m", cluster=(ports, NAMES), short_run=True)
             for name, port in zip(NAMES, ports)]
    try:
        for node in nodes:
            node.start(wait=False)
        for node in nodes:
            node.wait_until_up()
        assert nodes[0].wait_for_status("green")["number_of_nodes"] == 3
    except Unavailable as exc:
        for node in nodes:
            node.stop()
        pytest.fail(str(exc))
    yield nodes
    for node in nodes:
        node.stop()


@pytest.fixture
def clustered(cluster, app_config, monkeypatch):
    """(app, front door) on the cluster: the door balances over the three nodes, the index has a replica."""
    signing_environment(monkeypatch)
    with Domain([node.url for node in cluster], alias=f"cluster-{uuid.uuid4().hex[:6]}") as door:
        door.add_key(KEY, SECRET, TOKEN)
        app = create_app(dict(app_config, SEARCH_URL=door.url, SEARCH_AUTH="sigv4", AWS_REGION="us-east-1",
                              SEARCH_INDEX=door.alias, SHIPPER_AUTOSTART=False, SHIP_BATCH=50))
        assert app.test_cli_runner().invoke(args=["init-index"]).exit_code == 0
        door.node.indices.put_settings(index=door.alias, body={"index": {"number_of_replicas": 1}})
        assert wait_until(lambda: door.node.cluster.health(index=door.alias)["status"] == "green", timeout=60)
        yield app, door


def primary_holder(door, cluster):
    """The node that holds the index's primary shard."""
    (shard,) = [s for s in door.node.cat.shards(index=door.alias, format="json") if s["prirep"] == "p"]
    return next(node for node in cluster if node.name == shard["node"])


def test_a_node_killed_mid_shipment_loses_and_duplicates_no_answer(clustered, cluster):
    app, door = clustered
    ids = {store(app, f"answer {n} shipped through a node failure", state="pending") for n in range(2000)}
    door.switches.latency = 0.02  # the kill lands while batches are in flight
    shipper, outcome = SHIPPER.of(app), {}

    def ship():
        with app.app_context():
            outcome["first"] = shipper.drain(journal.get_db(), time.time() + 120)

    shipping = threading.Thread(target=ship)
    shipping.start()
    assert wait_until(lambda: door.node.count(index=door.alias)["count"] >= 300, timeout=60)
    victim = primary_holder(door, cluster)
    victim.kill()  # SIGKILL, while batches are in flight: no goodbye to the cluster
    assert door.node.count(index=door.alias)["count"] < 2000, "the shipment was over before the kill"
    client = app.test_client()
    log_in(client)
    searched = client.get("/analyst/api/search", query_string={"q": "failure"})
    assert searched.status_code in (200, 503)  # answers, or says plainly the domain did not
    shipping.join(180)
    door.switches.latency = 0
    with app.app_context():
        shipper.drain(journal.get_db(), time.time() + 120)
    door.node.indices.refresh(index=door.alias)
    found = door.node.search(index=door.alias, body={"size": 3000, "_source": False})["hits"]
    assert found["total"]["value"] == 2000 and {hit["_id"] for hit in found["hits"]} == ids
    assert client.get("/analyst/api/search", query_string={"q": "failure"}).json["total"] == 2000
    assert door.node.cluster.health()["number_of_nodes"] == 2
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["search"] == "ok" and health.json["journal_backlog"] == 0
