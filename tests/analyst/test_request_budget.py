"""Issue 30 #1: one analyst request must not pin a core. Distinctive terms with a survey filter
read the word index once (the plan with no filter), and every analyst request has a time budget."""
import pytest

from collector import create_app, journal
from collector.journal import connections, fts
from tests.helpers import SURVEYS_YAML, log_in, store, write_surveys


@pytest.fixture
def two_surveys(app_config, tmp_path):
    """Settings for a journal holding answers to two surveys, 150 each."""
    config = dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS_YAML))
    app = create_app(config)
    for n in range(300):
        store(app, f"work and the night shift rota, week {n}, remote work again", survey=("exit", "onboarding")[n % 2])
    return config


def match_plans(app, path):
    """The query plan of every statement matching the word index that serving `path` ran."""
    statements, client = [], app.test_client()
    log_in(client)
    with app.app_context():
        db = fts.indexed_db()
        db.set_trace_callback(statements.append)
        journal.CONNECTIONS.of(app).get = lambda: db  # the request reuses this very connection
        assert client.get(path).status_code == 200
        db.set_trace_callback(None)
        found = [s for s in statements if "plain_words MATCH" in s and s.lstrip().upper().startswith("SELECT")]
        return [[row["detail"] for row in db.execute("EXPLAIN QUERY PLAN " + s)] for s in found]


def test_a_survey_filter_keeps_the_word_index_as_the_outer_loop(two_surveys):
    plans = match_plans(create_app(two_surveys), "/analyst/api/terms?q=work&survey=exit")
    assert plans, "the survey's background counts were not asked for"
    for plan in plans:  # the FTS5 match runs once; answers are then looked up by their key
        assert plan[0].startswith("SCAN plain_words VIRTUAL TABLE"), plan


def test_a_request_over_its_time_budget_is_a_503_that_says_so_and_the_worker_goes_on(two_surveys, monkeypatch):
    # look at the clock often: any real query overruns 0 s
    monkeypatch.setattr(connections, "PROGRESS_STEPS", 100)
    app = create_app(dict(two_surveys, ANALYST_REQUEST_SECONDS=0))
    client = app.test_client()
    log_in(client)
    slow = client.get("/analyst/api/terms?q=work&survey=exit")
    assert slow.status_code == 503 and "needed more than 0 seconds" in slow.json["error"]
    app.config["ANALYST_REQUEST_SECONDS"] = 20
    assert client.get("/analyst/api/terms?q=work&survey=exit").status_code == 200
