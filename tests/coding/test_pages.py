"""The coding pages as an analyst uses them: forms with CSRF tokens, confirmations, flashes, links."""
import re
import sqlite3

import pytest

from collector import create_app
from tests.helpers import PASSWORD, log_in, store


@pytest.fixture
def csrf_app(app_config):
    """An app that checks CSRF tokens, as in production."""
    return create_app(dict(app_config, WTF_CSRF_ENABLED=True))


def token(page):
    """The CSRF token an analyst page carries in <meta name="csrf-token">."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def logged_in(app):
    client = app.test_client()
    page = client.get("/analyst/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/analyst/login", data={"name": "ada", "password": PASSWORD, "csrf_token": csrf})
    return client


def test_the_json_api_needs_the_pages_csrf_token_in_a_header(csrf_app):
    client = logged_in(csrf_app)
    refused = client.post("/analyst/api/codes", json={"name": "Rota"})
    assert refused.status_code == 400 and "CSRF" in refused.json["error"]
    csrf = token(client.get("/analyst/").get_data(as_text=True))
    created = client.post("/analyst/api/codes", json={"name": "Rota"}, headers={"X-CSRFToken": csrf})
    assert created.status_code == 201 and created.json["name"] == "Rota"


def test_the_codebook_page_adds_renames_and_deletes_codes(app, analyst):
    assert analyst.post("/analyst/codes", data={"name": "Rota", "description": "shift rotas"}).status_code == 303
    page = analyst.get("/analyst/codes").get_data(as_text=True)
    assert "Code &#39;Rota&#39; added." in page and "shift rotas" in page
    assert analyst.post("/analyst/codes", data={"name": "ROTA"}).status_code == 409
    assert analyst.post("/analyst/codes", data={"name": ""}).status_code == 400
    assert analyst.post("/analyst/codes/1/edit", data={"name": "Rotas", "description": ""}).status_code == 303
    assert "Rotas" in analyst.get("/analyst/codes").get_data(as_text=True)
    asked = analyst.post("/analyst/codes/1/delete")  # without the confirmation: a page that says what goes
    assert asked.status_code == 200 and "Delete the code “Rotas”?" in asked.get_data(as_text=True)
    assert analyst.post("/analyst/codes/1/delete", data={"confirm": "yes"}).status_code == 303
    assert "No codes yet" in analyst.get("/analyst/codes").get_data(as_text=True)
    assert analyst.post("/analyst/codes/1/delete", data={"confirm": "yes"}).status_code == 404


def test_an_answer_page_adds_and_removes_codes_and_goes_back_to_the_search(app, analyst):
    doc_id = store(app, "The night shift was long.")
    analyst.post("/analyst/codes", data={"name": "Night"})
    back = "/analyst/?q=night&sort=oldest"
    page = analyst.get(f"/analyst/responses/{doc_id}", query_string={"back": back}).get_data(as_text=True)
    assert 'href="/analyst/?q=night&amp;sort=oldest" id="back"' in page and "UTC</time>" in page
    done = analyst.post(f"/analyst/responses/{doc_id}/codes?back={back}", data={"add": "Night"})
    assert done.status_code == 303
    page = analyst.get(done.location).get_data(as_text=True)
    assert "by ada" in page and 'id="back"' in page
    analyst.post(f"/analyst/responses/{doc_id}/codes", data={"remove": "Night"})
    assert "No codes yet" in analyst.get(f"/analyst/responses/{doc_id}").get_data(as_text=True)
    evil = analyst.get(f"/analyst/responses/{doc_id}?back=https://evil.example/").get_data(as_text=True)
    assert "evil.example" not in evil


def test_bulk_coding_confirms_the_count_applies_and_undoes(app, analyst):
    for n in range(3):
        store(app, f"night shift story {n}")
    store(app, "day time story")
    analyst.post("/analyst/codes", data={"name": "Night"})
    search = analyst.get("/analyst/?q=night").get_data(as_text=True)
    assert 'href="/analyst/apply?q=night"' in search
    confirm = analyst.get("/analyst/apply?q=night").get_data(as_text=True)
    assert "<strong>3</strong> answers match" in confirm
    done = analyst.post("/analyst/apply?q=night", data={"code": "Night", "confirm": "yes"})
    assert done.status_code == 303 and done.location == "/analyst/?q=night"
    assert "given to 3 more answer(s)" in analyst.get(done.location).get_data(as_text=True)
    assert analyst.get("/analyst/api/search?code=Night").json["total"] == 3
    codes_page = analyst.get("/analyst/codes").get_data(as_text=True)
    assert "given to 3 answer(s) by ada" in codes_page
    analyst.post("/analyst/batches/1/undo")
    assert analyst.get("/analyst/api/search?code=Night").json["total"] == 0
    assert "undone by ada" in analyst.get("/analyst/codes").get_data(as_text=True)


def test_saved_searches_save_run_and_delete(app, analyst):
    store(app, "night shift story")
    analyst.post("/analyst/codes", data={"name": "Night"})
    assert 'href="/analyst/saved?q=night"' in analyst.get("/analyst/?q=night").get_data(as_text=True)
    assert analyst.post("/analyst/saved?q=night", data={"name": "Nights", "code": "Night"}).status_code == 303
    page = analyst.get("/analyst/saved").get_data(as_text=True)
    assert "Nights" in page and "words: night" in page and "new matches get" in page
    assert analyst.get("/analyst/saved/1").location == "/analyst/?q=night"
    store(app, "another night shift")
    assert analyst.get("/analyst/api/search?code=Night").json["total"] == 1
    assert analyst.post("/analyst/saved/1/delete").status_code == 303
    assert "None yet" in analyst.get("/analyst/saved").get_data(as_text=True)


def test_the_dashboard_shows_code_counts_and_filters_by_code(app, analyst):
    ids = [store(app, f"night shift story {n}") for n in range(3)]
    analyst.post("/analyst/codes", data={"name": "Night"})
    analyst.post(f"/analyst/responses/{ids[0]}/codes", data={"add": "Night"})
    page = analyst.get("/analyst/").get_data(as_text=True)
    assert '<td>Night</td><td>1</td>' in page and '<option value="-Night"' in page
    assert 'id="code-day-chart-1"' in page and 'coded “Night” per day' in page
    assert 'class="badge text-bg-info text-decoration-none code"' in page
    assert analyst.get("/analyst/?code=-Night").get_data(as_text=True).count("Read the whole answer") == 2


def test_codings_from_before_journal_positions_still_filter_after_an_upgrade(app, analyst):
    ids = [store(app, f"night shift story {n}") for n in range(3)]
    analyst.post("/analyst/codes", data={"name": "Night"})
    analyst.post(f"/analyst/responses/{ids[1]}/codes", data={"add": "Night"})
    old = sqlite3.connect(app.config["JOURNAL_PATH"])
    old.executescript("DROP INDEX codings_code_seq; DROP INDEX codings_seq; ALTER TABLE codings DROP COLUMN seq;")
    old.close()
    upgraded = create_app(app.config).test_client()
    log_in(upgraded)
    for params in ("code=Night", "code=Night&q=story", "code=-Night&q=shift"):
        hits = upgraded.get(f"/analyst/api/search?{params}").json["hits"]
        assert [h["id"] for h in hits] == ([ids[1]] if "-" not in params else [ids[2], ids[0]]), params


def test_a_code_name_with_a_slash_works_in_the_api(app, analyst):
    store(app, "night shift story")
    assert analyst.post("/analyst/api/codes", json={"name": "Shift/night"}).status_code == 201
    assert analyst.post("/analyst/api/codes/Shift/night/apply?q=night").json["applied"] == 1
    assert analyst.get("/analyst/api/codes/counts").json["codes"] == [{"name": "Shift/night", "count": 1}]
    assert analyst.delete("/analyst/api/codes/Shift/night").json == {"removed_from": 1}


@pytest.mark.parametrize("name, status, message", [("Night", 409, "exists already"), ("", 400, "This field is required")])
def test_a_rename_that_cannot_be_saved_says_why_on_the_codebook_page(app, analyst, name, status, message):
    """Issue 29: a duplicate or empty name gave a bare 409/400 page outside the analyst layout."""
    analyst.post("/analyst/api/codes", json={"name": "night"})
    analyst.post("/analyst/api/codes", json={"name": "day"})
    with sqlite3.connect(app.config["JOURNAL_PATH"]) as db:
        (day_id,) = db.execute("SELECT id FROM codes WHERE name = 'day'").fetchone()
    response = analyst.post(f"/analyst/codes/{day_id}/edit", data={"name": name, "description": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == status and message in page and "The code was not saved" in page
    assert "Log out" in page and 'id="name-' in page  # the codebook itself, in the analyst's layout


def test_the_add_a_code_menu_offers_only_codes_the_answer_lacks(app, analyst):
    """Issue 29: the menu offered codes the answer already had."""
    doc_id = store(app, "an answer with one code")
    for name in ("night", "day"):
        analyst.post("/analyst/api/codes", json={"name": name})
    analyst.post(f"/analyst/api/responses/{doc_id}/codes", json={"add": ["night"]})
    page = analyst.get(f"/analyst/responses/{doc_id}").get_data(as_text=True)
    menu = re.search(r'<select[^>]*name="add".*?</select>', page, re.S).group(0)
    assert '<option value="day">' in menu and 'value="night"' not in menu


def test_the_codes_over_time_summary_counts_one_day_in_the_singular(app, analyst):
    doc_id = store(app, "coded today")
    analyst.post("/analyst/api/codes", json={"name": "night"})
    analyst.post(f"/analyst/api/responses/{doc_id}/codes", json={"add": ["night"]})
    page = analyst.get("/analyst/").get_data(as_text=True)
    assert "latest 1 day with codes" in page and "1 days" not in page


def test_the_bulk_coding_page_names_the_search_and_chooses_no_code_for_the_analyst(app, analyst):
    """Issue 29: the confirmation did not show which search it acts on, and pre-selected a code."""
    store(app, "night shift again")
    for name in ("night", "day"):
        analyst.post("/analyst/api/codes", json={"name": name})
    page = analyst.get("/analyst/apply?q=night&survey=survey").get_data(as_text=True)
    assert "q: night" in page and "survey: survey" in page
    menu = re.search(r'<select[^>]*name="code".*?</select>', page, re.S).group(0)
    assert menu.startswith('<select') and '<option value="">Choose a code…</option>' in menu and "selected" not in menu
    refused = analyst.post("/analyst/apply?q=night", data={"code": "", "confirm": "yes"})
    assert refused.status_code == 400 and "Choose the code to give them" in refused.get_data(as_text=True)
    assert analyst.get("/analyst/api/search", query_string={"code": "night"}).json["total"] == 0
