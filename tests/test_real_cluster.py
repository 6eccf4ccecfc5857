"""Against a real OpenSearch/Elasticsearch cluster; runs only when OPENSEARCH_URL is set."""
import os
import time
import uuid

import pytest

import config
from collector import create_app
from tests.helpers import drain, log_in, store

URL = os.environ.get("OPENSEARCH_URL")
pytestmark = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not URL, reason="set OPENSEARCH_URL (and SEARCH_AUTH etc.) to test a real cluster"),
]


def test_answer_round_trips_through_a_real_cluster(app_config):
    alias = f"survey-test-{uuid.uuid4().hex[:8]}"
    auth, region, service = config._search_defaults(URL)
    app = create_app(dict(app_config, SEARCH_URL=URL, SEARCH_INDEX=alias, SHIPPER_AUTOSTART=False,
                          SEARCH_AUTH=os.environ.get("SEARCH_AUTH", auth),
                          AWS_REGION=os.environ.get("AWS_REGION", region),
                          SEARCH_SERVICE=os.environ.get("SEARCH_SERVICE", service)))
    word = f"zebra{uuid.uuid4().hex[:6]}"
    doc_id = store(app, f"A real cluster answer about {word}s running", state="pending")
    assert drain(app).shipped == 1
    client = app.test_client()
    log_in(client)
    deadline = time.time() + 30  # no _refresh on serverless: wait for the refresh interval
    while time.time() < deadline:
        hits = client.get("/analyst/api/search", query_string={"q": word}).json["hits"]
        if hits:
            break
        time.sleep(1)
    assert [h["id"] for h in hits] == [doc_id]
    assert "<mark>" in hits[0]["highlight"]
