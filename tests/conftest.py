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


def store(app, essay, email="someone@example.org", when=None, spam=False):
    """Put one answer straight into the journal (as if submitted at `when`); returns its id."""
    import uuid
    from datetime import datetime, timezone

    import journal
    from models import SurveyResponse

    doc = SurveyResponse(
        meta={"id": str(uuid.uuid4())},
        essay=essay,
        email=email,
        client_ip="127.0.0.1",
        submitted_at=when or datetime.now(timezone.utc),
        is_spam=spam,
        spam_score=0.9 if spam else 0.0,
        tags=["v1"],
    )
    with app.app_context():
        journal.record(doc, "shipped")
    return doc.meta.id
