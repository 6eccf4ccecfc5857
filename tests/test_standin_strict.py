"""The stand-in domain refuses what the real engine refuses, so tests cannot pass on a forgiving double."""
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import es_client
from models import index_body
from tests.helpers import KEY, SECRET, TOKEN
from tests.standin.engine import analyze, highlight

ALIAS = "survey-responses"


@pytest.fixture
def client(search_app, standin):
    """The app's signed client, with the index made."""
    with search_app.app_context():
        client = es_client.get_client(search_app)
        es_client.ensure_index(client, ALIAS, {"essay": "text"})
        yield client


def test_an_unknown_key_in_a_create_index_body_is_a_400(client):
    with pytest.raises(es_client.RequestError, match="unknown key \\[mapping\\]"):
        client.indices.create(index="other-v1", body={"mapping": index_body({})["mappings"]})


@pytest.mark.parametrize("body, message", [
    ({"query": {"match_all": {}}, "highlights": {}}, "Unknown key for a START_OBJECT in \\[highlights\\]"),
    ({"from": 9_990, "size": 20}, "Result window is too large"),
])
def test_a_search_body_the_server_would_refuse_is_a_400(client, body, message):
    with pytest.raises(es_client.RequestError, match=message):
        client.search(index=ALIAS, body=body)


def test_totals_are_exact_only_when_asked_for(client, standin):
    index = standin.domain.resolve(ALIAS)
    for n in range(10_001):
        index.docs[f"id{n}"] = {"essay": "x", "submitted_at": "2026-01-01T00:00:00+00:00"}
    assert client.search(index=ALIAS, body={"size": 0})["hits"]["total"] == {"value": 10_000, "relation": "gte"}
    exact = client.search(index=ALIAS, body={"size": 0, "track_total_hits": True})["hits"]["total"]
    assert exact == {"value": 10_001, "relation": "eq"}


def test_a_highlight_is_a_fragment_not_the_whole_answer():
    essay = "An opening sentence about nothing. " * 20 + "Here the tooling finally mattered. " + "Filler. " * 50
    position = len(analyze(essay[:essay.index("tooling")], plain=True))  # the word's index in the text
    fragment = highlight(essay, {position}, "<mark>", "</mark>", 200)
    assert fragment.startswith("Here the <mark>tooling</mark> finally") and len(fragment) < 240


def test_serverless_refuses_a_request_without_the_payload_hash(standin):
    standin.service = standin.domain.service = "aoss"
    request = AWSRequest(method="GET", url=f"{standin.url}/{ALIAS}/_search", data=b"")
    SigV4Auth(Credentials(KEY, SECRET, TOKEN), "aoss", "us-east-1").add_auth(request)  # signs no payload hash
    response = requests.get(request.url, headers=dict(request.headers))
    assert response.status_code == 403 and "x-amz-content-sha256" in response.text
