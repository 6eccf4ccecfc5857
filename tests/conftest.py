"""Shared fixtures: an app on a fresh data dir, its test client and CLI runner."""
import re

import pytest
from werkzeug.security import generate_password_hash

from application import create_app

PASSWORD = "correct horse battery staple"
# A cheap hash method keeps the suite fast; production hashes use the default (scrypt).
ANALYSTS = f"ada:{generate_password_hash(PASSWORD, method='pbkdf2:sha256:1000')}"


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
    response = client.post("/analyst/login", data={"name": "ada", "password": PASSWORD})
    assert response.status_code == 303
    return client


def submit(client, essay="A fine answer.", email="someone@example.org", **extra):
    """POST the survey form; returns the response."""
    return client.post("/", data={"essay": essay, "email": email, **extra})


def receipt_of(response):
    """The receipt code a 303 from the form points to."""
    return re.fullmatch(r"/thanks/([a-z2-7]{26})", response.location).group(1)


def store(app, essay, email="someone@example.org", when=None, spam=False, state="shipped", **fields):
    """Put one answer straight into the journal (as if submitted at `when`); returns its id."""
    import uuid
    from datetime import datetime, timezone

    import journal
    from models import SurveyResponse

    values = dict(essay=essay, email=email, client_ip="127.0.0.1", is_spam=spam, tags=["v1"],
                  submitted_at=when or datetime.now(timezone.utc), spam_score=0.9 if spam else 0.0)
    doc = SurveyResponse(meta={"id": str(uuid.uuid4())}, **{**values, **fields})
    with app.app_context():
        journal.record(doc, state)
    return doc.meta.id


KEY, SECRET, TOKEN = "AKIDTESTEXAMPLE", "test-secret-key", "test-session-token"


@pytest.fixture
def standin(monkeypatch):
    """A SigV4-checking stand-in domain; the environment's credentials are its key."""
    from tests.standin import StandIn

    for name, value in [("AWS_ACCESS_KEY_ID", KEY), ("AWS_SECRET_ACCESS_KEY", SECRET),
                        ("AWS_SESSION_TOKEN", TOKEN), ("AWS_EC2_METADATA_DISABLED", "true")]:
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with StandIn() as domain:
        domain.add_key(KEY, SECRET, TOKEN)
        yield domain


@pytest.fixture
def search_config(app_config, standin):
    """Settings for an app in search mode against the stand-in (shipper started by hand)."""
    app_config.update(SEARCH_URL=standin.url, SEARCH_AUTH="sigv4", AWS_REGION="us-east-1",
                      SHIPPER_AUTOSTART=False, SHIP_BATCH=100)
    return app_config


@pytest.fixture
def search_app(search_config):
    """The app in search mode."""
    return create_app(search_config)


def drain(app, seconds=60):
    """Ship everything pending now; returns the Outcome."""
    import time

    import journal

    with app.app_context():
        return app.extensions["shipper"].drain(journal.get_db(), time.time() + seconds)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether it failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
