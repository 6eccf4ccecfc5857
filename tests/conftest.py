"""Shared fixtures: an app on a fresh data dir, its test client, CLI runner and a logged-in analyst."""
import itertools
import json
import os
import uuid

import pytest
from filelock import FileLock

from collector import create_app
from collector.common import clock as clock_module
from tests.frontdoor.domain import Domain
from tests.frontdoor.nodes import start_node
from tests.helpers import ANALYSTS, KEY, SECRET, TOKEN, FakeClock, log_in, signing_environment
from tests.loopback_s3 import LoopbackS3
from tests.model_fixture import model_dir  # noqa: F401 - the fetched embedding model, for every test

pytest_plugins = ["tests.run_hooks"]

_aliases = itertools.count(1)

# Settings read from the environment that would change what a test sees.
APP_SETTINGS = ("APP_ENV", "SECRET_KEY", "DATA_DIR", "SEARCH_URL", "SEARCH_AUTH", "AWS_REGION",
                "SEARCH_SERVICE", "SEARCH_INDEX", "ANALYSTS", "SUBMIT_RATE_LIMIT", "SURVEY_QUESTION",
                "SURVEYS_FILE", "PROXY_HOPS", "LOG_FORMAT", "RATELIMIT_STORAGE_URI", "SPILL_URL", "SPILL_AFTER",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AUTH", "ALB_ARN", "ALB_KEYS_URL", "SSO_NAME_CLAIM",
                "SSO_ROLE_CLAIM", "SSO_ROLES", "SSO_LOGOUT_URL", "MODEL_DIR", "EMBED_THREADS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Tests never inherit the developer's shell settings (APP_ENV=production, SEARCH_URL...)."""
    for name in APP_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    # No test app embeds in the background (each would load the model); tests/meaning embeds when it means to.
    monkeypatch.setenv("EMBED_AUTOSTART", "off")


@pytest.fixture
def app_config(tmp_path):
    """Settings for a test app; tests may add to them before asking for `app`."""
    return {
        "TESTING": True,
        "DATA_DIR": str(tmp_path / "data"),
        "SEARCH_URL": None,
        "ANALYSTS": ANALYSTS,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SUBMIT_RATE_LIMIT": "off",
    }


@pytest.fixture
def app(app_config):
    """The app under test."""
    return create_app(app_config)


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def analyst(client):
    """The test client, logged in as an analyst."""
    assert log_in(client).status_code == 303
    return client


@pytest.fixture(scope="session")
def opensearch_url(tmp_path_factory, worker_id):
    """One real OpenSearch 2.19 node for the whole run, shared by xdist's workers (or OPENSEARCH_URL's);
    skips without Java or Maven, and fails instead under REQUIRE_OPENSEARCH."""
    if os.environ.get("OPENSEARCH_URL"):
        return os.environ["OPENSEARCH_URL"]
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    with FileLock(shared / "opensearch.lock"):
        started = shared / "opensearch.json"
        if not started.exists():
            started.write_text(json.dumps(start_node(shared / "opensearch")))
        found = json.loads(started.read_text())
    if found.get("error"):
        if os.environ.get("REQUIRE_OPENSEARCH"):
            pytest.fail(f"REQUIRE_OPENSEARCH is set: {found['error']}", pytrace=False)
        pytest.skip(f"no real OpenSearch node: {found['error']}")
    return found["url"]


@pytest.fixture
def domain(opensearch_url, monkeypatch):
    """An AWS domain for one test: the real node behind a SigV4-checking front door, and an alias
    of the test's own (its indices are deleted afterwards)."""
    signing_environment(monkeypatch)
    with Domain(opensearch_url, alias=f"t{next(_aliases)}-{uuid.uuid4().hex[:6]}-survey-responses") as door:
        door.add_key(KEY, SECRET, TOKEN)
        yield door
        door.remove_indices()


@pytest.fixture
def search_config(app_config, domain):
    """Settings for an app in search mode against the domain (shipper started by hand)."""
    app_config.update(SEARCH_URL=domain.url, SEARCH_AUTH="sigv4", AWS_REGION="us-east-1",
                      SEARCH_INDEX=domain.alias, SHIPPER_AUTOSTART=False, SHIP_BATCH=100, AUTOCODE_SECONDS=0)
    return app_config


@pytest.fixture(params=["embedded", "opensearch"])
def engine_config(request, app_config):
    """Settings for an app in each engine: embedded FTS5, and search mode on the real node."""
    if request.param == "opensearch":
        return request.getfixturevalue("search_config")
    return app_config


@pytest.fixture
def clock(monkeypatch):
    """A fake clock for every module: backoffs, deadlines, sessions and expiries pass without waiting."""
    fake = FakeClock()
    monkeypatch.setattr(clock_module, "now", fake.now)
    monkeypatch.setattr(clock_module, "sleep", fake.sleep)
    monkeypatch.setattr(clock_module, "monotonic", fake.monotonic)
    monkeypatch.setattr(clock_module, "wait", fake.wait)
    return fake


@pytest.fixture(scope="session")
def loopback_s3():
    """One moto server for the session; each test gets its own bucket."""
    server = LoopbackS3()
    yield server
    server.stop()


@pytest.fixture
def spill_bucket(loopback_s3, domain, monkeypatch):
    """A fresh bucket on the loopback S3; boto3 in this process (and children) finds it by environment."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", loopback_s3.url)
    bucket = f"spill-{uuid.uuid4().hex[:12]}"
    loopback_s3.client().create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def spill_config(search_config, spill_bucket):
    """Search mode against the domain, spilling to the loopback S3 after one second."""
    search_config.update(SPILL_URL=f"s3://{spill_bucket}/spill", SPILL_AFTER=1.0, SPILL_POLL_SECONDS=0.0)
    return search_config


@pytest.fixture
def search_app(search_config):
    """The app in search mode."""
    return create_app(search_config)


@pytest.fixture
def search_analyst(search_app):
    """A test client of the search-mode app, logged in as an analyst."""
    client = search_app.test_client()
    assert log_in(client).status_code == 303
    return client
