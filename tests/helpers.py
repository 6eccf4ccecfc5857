"""Helpers the tests share: submitting, storing answers directly, shipping, logging in."""
import json
import re
import time
import uuid
from pathlib import Path

from werkzeug.security import generate_password_hash

import es_client
from collector import journal, workspace
from collector.common import clock
from collector.journal import mode, versions
from collector.search import engines
from collector.shipping import shipper
from models import SurveyResponse

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
# ada (an admin), two more for reliability rounds, and one person of each lesser role; a cheap hash
# keeps the suite fast (production: scrypt).
PEOPLE = {"ada": "admin", "bea": "analyst", "cy": "analyst", "vic": "viewer", "cody": "coder", "ana": "analyst"}
ANALYSTS = ",".join(f"{name}:{generate_password_hash(PASSWORD, method='pbkdf2:sha256:1000')}:{role}"
                    for name, role in PEOPLE.items())
# The front door's key pair; the `domain` fixture exports it as AWS credentials.
KEY, SECRET, TOKEN = "AKIDTESTEXAMPLE", "test-secret-key", "test-session-token"


def signing_environment(monkeypatch):
    """The front door's key as this process's AWS credentials (children inherit them)."""
    for name, value in [("AWS_ACCESS_KEY_ID", KEY), ("AWS_SECRET_ACCESS_KEY", SECRET),
                        ("AWS_SESSION_TOKEN", TOKEN), ("AWS_EC2_METADATA_DISABLED", "true")]:
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def search_env(config):
    """Environment variables that point a child process (flask, gunicorn) at a test's domain and alias."""
    return {"SEARCH_URL": config["SEARCH_URL"], "SEARCH_INDEX": config["SEARCH_INDEX"], "SEARCH_AUTH": "sigv4",
            "AWS_REGION": "us-east-1"}


def module_config(request, tmp_path_factory, **settings):
    """Settings for a module's app in the engine its fixture's param names: embedded, or search mode on the
    module's domain (the module_domain fixture)."""
    config = {"TESTING": True, "DATA_DIR": str(tmp_path_factory.mktemp(request.param) / "data"), "ANALYSTS": ANALYSTS,
              "WTF_CSRF_ENABLED": False, "SECRET_KEY": "x", "SUBMIT_RATE_LIMIT": "off", "SEARCH_URL": None, **settings}
    if request.param == "opensearch":
        domain = request.getfixturevalue("module_domain")
        config.update(SEARCH_URL=domain.url, SEARCH_AUTH="sigv4", AWS_REGION="us-east-1", SHIPPER_AUTOSTART=False,
                      SEARCH_INDEX=domain.alias)
    return config


def submit(client, essay="A fine answer.", email="someone@example.org", **extra):
    """POST the survey form; returns the response."""
    return client.post("/", data={"essay": essay, "email": email, **extra})


def receipt_of(response):
    """The receipt code a 303 from the form points to."""
    return re.fullmatch(r"/thanks/([a-z2-7]{26})", response.location).group(1)


def edit_code(client, receipt):
    """The edit code the receipt page shows the browser that sent the answer (None when it shows none)."""
    found = re.search(r'<code id="edit-code">([a-z2-7-]+)</code>', client.get(f"/thanks/{receipt}").get_data(as_text=True))
    return found and found.group(1)


def log_in(client, name="ada", password=PASSWORD):
    """Log the client in as an analyst; returns the login response."""
    return client.post("/analyst/login", data={"name": name, "password": password})


def store(app, essay, email="someone@example.org", when=None, spam=False, state="shipped", **fields):
    """Put one answer straight into the journal (as if submitted at `when`); returns its id."""
    values = dict(essay=essay, email=email, client_ip="127.0.0.1", is_spam=spam, tags=["v1"],
                  submitted_at=when or clock.utc(), spam_score=0.9 if spam else 0.0)
    doc = SurveyResponse(meta={"id": str(uuid.uuid4())}, **{**values, **fields})
    with app.app_context():
        journal.insert(doc, state)
    return doc.meta.id


def new_state(app):
    """The journal state a new answer starts in for this app (pending only where it ships)."""
    return versions.NEW_ANSWER_STATE.of(app)


def drain(app, seconds=60):
    """Ship everything pending now, then make it searchable (as the refresh interval would); the Outcome."""
    with app.app_context():
        outcome = shipper.SHIPPER.of(app).drain(journal.get_db(), clock.now() + seconds)  # the fake clock too
        settle(app)
        return outcome


def hits(app, **params):
    """The analysts' API hits for a search, once the app's answers are in its index (drained where it ships)."""
    if mode.of(app).ships:
        drain(app)
    client = app.test_client()
    log_in(client)
    return client.get("/analyst/api/search", query_string=params).json["hits"]


def run_pass(app):
    """One pass of the shipper thread: ship a batch, then spill or drain."""
    db = journal.connect(app.config["JOURNAL_PATH"])
    try:
        return shipper.SHIPPER.of(app).run_pass(db)
    finally:
        db.close()


def settle(app):
    """Make every write so far searchable, where the engine can (not on Serverless)."""
    with app.app_context():
        try:
            engines.current().settle()
            workspace.current().settle()
        except es_client.DomainUnavailable:
            pass  # a test of an outage: nothing to make searchable


def wait_until(condition, timeout=10.0, interval=0.02):
    """Poll condition() until it is true; returns its last value (falsy on timeout)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(interval)
    return value


class FakeClock:
    """collector.common.clock for a test: time stands still until a sleep or advance() moves it."""

    def __init__(self):
        self.time = time.time()

    def now(self):
        return self.time

    def sleep(self, seconds):
        self.time += max(0.0, seconds)

    def monotonic(self):
        return self.time

    def wait(self, event, seconds):
        self.sleep(seconds)
        return event.wait(0.001)  # the time passes at once; a real millisecond lets the other threads run

    def advance(self, seconds):
        """Move time on; returns True so it can lead a wait_until condition."""
        self.sleep(seconds)
        return True


# Two surveys with every question type, hidden fields and optional email (tests add their own).
SURVEYS_YAML = (ROOT / "tests" / "data" / "surveys.yaml").read_text()
# A survey answered in English, German and French, with two text questions (the search tests' languages).
WORLD_SURVEY = """
  - slug: world
    title: World
    email: "off"
    languages: [en, de, fr]
    questions:
      - {id: said, type: essay, label: {en: Say it, de: Sagen Sie es, fr: Dites-le}, required: true}
      - {id: more, type: text, label: {en: More, de: Mehr, fr: Plus}}
"""


def write_surveys(folder, text=SURVEYS_YAML, name="surveys.yaml"):
    """Write a survey definition file; returns its path as a string."""
    (folder / name).write_text(text)
    return str(folder / name)


def onboarding_answer(**changes):
    """A valid POST body for the onboarding survey."""
    answer = {"experience": "Getting VPN access took three days.", "headline": "Slow start",
              "role": "Engineer", "tools": ["Slack", "VPN"], "satisfaction": "3", "consent": "y",
              "email": "new@example.org"}
    return {key: value for key, value in {**answer, **changes}.items() if value is not None}


def traces(needles, apps=(), domain=None):
    """[(place, needle)] for each file under the apps' DATA_DIRs (raw bytes) and each index of the domain's
    alias (every document, ids too) that still holds one of these strings."""
    places = {str(path): path.read_bytes() for app in apps for path in Path(app.config["DATA_DIR"]).rglob("*")
              if path.is_file()}
    if domain is not None:
        domain.node.indices.refresh(index=f"{domain.alias}*")
        for index in domain.node.indices.get(index=f"{domain.alias}*"):
            found = domain.node.search(index=index, body={"size": 10_000, "query": {"match_all": {}}})
            places[index] = json.dumps(found["hits"]["hits"]).encode()
    return [(place, needle) for place, data in places.items() for needle in needles if needle.encode() in data]
