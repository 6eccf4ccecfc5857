"""Issue 30 #2: one saved search must never lock analysts out or stop the shipper. Its parameters
are checked and bounded when it is saved; one that fails anyway stops alone, saying why."""
import json
import sqlite3

import pytest

from collector import create_app
from collector.coding import stores
from collector.workspace import versioned
from tests.helpers import drain, log_in, onboarding_answer, write_surveys


@pytest.fixture
def analyst_app(engine_config, tmp_path):
    """(app, a logged-in analyst's client) with the onboarding survey and the code 'night'."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path)))
    client = app.test_client()
    log_in(client)
    assert client.post("/analyst/api/codes", json={"name": "night"}).status_code == 201
    return app, client


@pytest.mark.parametrize("params, message", [
    ({"f.role": [f"role {n}" for n in range(80)]}, "'f.role' takes at most 50 values"),
    ({"f.role": [f"role {n}" for n in range(1200)]}, "at most 100 parameters"),
    ({f"f.source{n}": "x" for n in range(150)}, "at most 100 parameters"),
    ({"f.satisfaction": "55555555555555555555"}, "is a rating"),
])
def test_a_saved_search_too_large_or_malformed_is_refused_when_saved(analyst_app, params, message):
    _, client = analyst_app
    response = client.post("/analyst/api/saved", json={"name": "too much", "params": params, "code": "night"})
    assert response.status_code == 400 and message in response.json["error"]


def plant_unchecked_saved_search(app, name, params):
    """A saved search as an older release, before today's checks, may have stored it."""
    if not app.config["SEARCH_URL"]:
        with sqlite3.connect(app.config["JOURNAL_PATH"]) as db:
            db.execute("INSERT INTO saved_searches (name, params, code_id, created_by, created_at) VALUES "
                       "(?, ?, (SELECT id FROM codes), 'ada', '2026-01-01')", (name, json.dumps(params)))
        return
    with app.app_context():
        store = stores.current()
        row = {"name": name, "params": json.dumps(params), "code": store.find_code("night")["id"], "created_by": "ada",
               "created_at": "2026-01-01", "disabled": None, "since": "2026-01-01T00:00:00+00:00"}
        store._change_searches(lambda key, old: old)  # the record exists
        versioned.change_one(store.records, "saved-searches",
                             lambda shelf: shelf["data"]["searches"].update(old=row) or shelf)


def test_a_failing_saved_search_stops_alone_and_says_why(analyst_app):
    app, client = analyst_app
    good = client.post("/analyst/api/saved", json={"name": "night shifts", "params": {"q": "night"}, "code": "night"})
    assert good.status_code == 201
    plant_unchecked_saved_search(app, "broken", [["f.satisfaction", "55555555555555555555"]])
    assert app.test_client().post("/s/onboarding", data=onboarding_answer(
        experience="The night shift was hard.")).status_code == 303
    if app.config["SEARCH_URL"]:
        assert drain(app).shipped == 1  # the shipper's pass goes on past the broken search
    assert client.get("/analyst/").status_code == 200
    listing = {row["name"]: row for row in client.get("/analyst/api/saved").json["saved"]}
    assert listing["broken"]["disabled"] and "55555555555555555555" in listing["broken"]["disabled"]
    assert listing["night shifts"]["disabled"] is None
    assert client.get("/analyst/api/search", query_string={"code": "night"}).json["total"] == 1
    assert "automatic coding stopped" in client.get("/analyst/saved").get_data(as_text=True)
