"""Issue 26 #6: which codes go together, as a page, JSON and CSV; equal in both engines."""
import csv
import io

import pytest

import es_client
from collector import create_app
from collector.coding import stores
from tests.helpers import drain, log_in, new_state, store


@pytest.fixture
def analyst(engine_config):
    """A logged-in analyst; six answers coded Night (4), Rota (3) and =Kit (2), with Night and Rota on 2."""
    app = create_app(engine_config)
    ids = [store(app, f"answer {n}", state=new_state(app)) for n in range(6)]
    other = store(app, "a different survey of days", state=new_state(app))
    if app.config["SEARCH_URL"]:
        drain(app)
    with app.test_request_context():
        coding = stores.current()
        for name, coded in (("Night", ids[:4]), ("Rota", ids[2:5]), ("=Kit", [ids[0], other])):
            coding.apply(coding.create_code(name, "", "ada"), coded, "ada", [])
    if app.config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    return client


def test_codes_together_counts_pairs_and_links_each_cell_to_its_answers(analyst):
    found = analyst.get("/analyst/api/cooccurrence").json
    assert found["codes"] == ["Night", "Rota", "=Kit"]
    pairs = {tuple(p["codes"]): p["answers"] for p in found["pairs"]}
    assert pairs == {("Night", "Night"): 4, ("Rota", "Rota"): 3, ("=Kit", "=Kit"): 2, ("Night", "Rota"): 2,
                     ("Night", "=Kit"): 1}
    page = analyst.get("/analyst/cooccurrence").get_data(as_text=True)
    link = "/analyst/?code=Night&amp;code=Rota"
    assert f'<a href="{link}">2</a>' in page
    assert analyst.get("/analyst/api/search?code=Night&code=Rota").json["total"] == 2
    narrowed = analyst.get("/analyst/api/cooccurrence?q=different").json
    assert narrowed["codes"] == ["=Kit"]
    rows = list(csv.reader(io.StringIO(analyst.get("/analyst/cooccurrence.csv").get_data(as_text=True))))
    assert rows[0] == ["code", "Night", "Rota", "'=Kit"] and rows[1] == ["Night", "4", "2", "1"]


@pytest.mark.slow
def test_codes_together_answers_for_a_codebook_past_the_domains_bucket_limit(search_app, search_analyst):
    """Issue 41 #3: 300 codes all on the same answers make 90,000 pairs, past the 65,535 buckets one request
    may hold: the table is paged, never a 503."""
    ids = [store(search_app, f"answer {n}", state="pending") for n in range(3)]
    drain(search_app)
    names = [f"code {n:03}" for n in range(300)]
    with search_app.app_context():
        client = es_client.get_client(search_app)
        es_client.send_bulk(client, search_app.config["SEARCH_INDEX"],
                            b"".join(es_client.update_lines(i, {"codes": names}) for i in ids))
        es_client.refresh(client, search_app.config["SEARCH_INDEX"])
    response = search_analyst.get("/analyst/api/cooccurrence")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    pairs = response.json["pairs"]
    assert len(response.json["codes"]) == 300 and len(pairs) == 300 * 301 // 2
    assert {pair["answers"] for pair in pairs} == {3}
