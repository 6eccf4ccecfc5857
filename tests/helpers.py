"""Helpers the tests share: submitting, storing answers directly, shipping, logging in."""
import re
import time
import uuid
from datetime import datetime, timezone

from werkzeug.security import generate_password_hash

from collector import journal
from models import SurveyResponse

PASSWORD = "correct horse battery staple"
# A cheap hash method keeps the suite fast; production hashes use the default (scrypt).
ANALYSTS = f"ada:{generate_password_hash(PASSWORD, method='pbkdf2:sha256:1000')}"
# The stand-in domain's key pair; the `standin` fixture exports it as AWS credentials.
KEY, SECRET, TOKEN = "AKIDTESTEXAMPLE", "test-secret-key", "test-session-token"


def submit(client, essay="A fine answer.", email="someone@example.org", **extra):
    """POST the survey form; returns the response."""
    return client.post("/", data={"essay": essay, "email": email, **extra})


def receipt_of(response):
    """The receipt code a 303 from the form points to."""
    return re.fullmatch(r"/thanks/([a-z2-7]{26})", response.location).group(1)


def log_in(client, name="ada", password=PASSWORD):
    """Log the client in as an analyst; returns the login response."""
    return client.post("/analyst/login", data={"name": name, "password": password})


def store(app, essay, email="someone@example.org", when=None, spam=False, state="shipped", **fields):
    """Put one answer straight into the journal (as if submitted at `when`); returns its id."""
    values = dict(essay=essay, email=email, client_ip="127.0.0.1", is_spam=spam, tags=["v1"],
                  submitted_at=when or datetime.now(timezone.utc), spam_score=0.9 if spam else 0.0)
    doc = SurveyResponse(meta={"id": str(uuid.uuid4())}, **{**values, **fields})
    with app.app_context():
        journal.insert(doc, state)
    return doc.meta.id


def drain(app, seconds=60):
    """Ship everything pending now; returns the Outcome."""
    with app.app_context():
        return app.extensions["shipper"].drain(journal.get_db(), time.time() + seconds)


def wait_until(condition, timeout=10.0, interval=0.02):
    """Poll condition() until it is true; returns its last value (falsy on timeout)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(interval)
    return value
