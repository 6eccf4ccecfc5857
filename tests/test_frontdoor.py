"""The simulated front door refuses what AWS refuses, and passes the rest to the real node unchanged."""
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.helpers import KEY, SECRET, TOKEN


def signed(domain, path, key=KEY, secret=SECRET, region="us-east-1", service="es", tamper=False, payload_hash=True):
    """GET path through the front door, signed as told."""
    request = AWSRequest(method="GET", url=f"{domain.url}{path}", data=b"")
    if payload_hash:
        request.headers["X-Amz-Content-SHA256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    SigV4Auth(Credentials(key, secret, TOKEN), service, region).add_auth(request)
    headers = dict(request.headers)
    if tamper:
        headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    return requests.get(request.url, headers=headers, timeout=10)


def test_a_validly_signed_request_reaches_the_node(domain):
    answer = signed(domain, "/_cluster/health")
    assert answer.status_code == 200 and answer.json()["cluster_name"]
    assert not domain.bad_signatures()


@pytest.mark.parametrize("change, words", [
    ({"tamper": True}, "signature we calculated does not match"),
    ({"key": "AKIDUNKNOWN"}, "security token included in the request is invalid"),
    ({"secret": "wrong-secret"}, "signature we calculated does not match"),
    ({"region": "eu-west-1"}, "region/service"),
    ({"service": "aoss"}, "region/service"),
])
def test_a_wrong_signature_key_region_or_service_is_a_403(domain, change, words):
    answer = signed(domain, "/_cluster/health", **change)
    assert answer.status_code == 403 and words in answer.text
    assert domain.bad_signatures()


def test_serverless_refuses_a_request_without_the_payload_hash(domain):
    domain.service = "aoss"
    answer = signed(domain, f"/{domain.alias}/_search", service="aoss", payload_hash=False)
    assert answer.status_code == 403 and "x-amz-content-sha256" in answer.text


def test_serverless_lacks_refresh_tasks_and_root(domain):
    domain.service = "aoss"
    for path in ("/", f"/{domain.alias}/_refresh", "/_tasks"):
        assert signed(domain, path, service="aoss").status_code == 404, path
