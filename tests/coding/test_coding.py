"""Coding answers, written once and run against both engines: by hand, in bulk, undo, saved
searches that code new answers, counts, crosstabs and exports (the setting: conftest.py)."""
import csv
import io


def test_codes_given_by_hand_filter_searches_and_show_who_gave_them(coding):
    assert coding.post("/analyst/api/codes", {"name": "Rota", "description": "shift rotas"}, 201)["name"] == "Rota"
    assert "exists" in coding.post("/analyst/api/codes", {"name": "rota"}, 409)["error"]
    coding.post("/analyst/api/codes", {"name": "Hardware"}, 201)
    first, second = coding.night[:2]
    assert coding.post(f"/analyst/api/responses/{first}/codes", {"add": ["rota", "Hardware"]}) == {
        "codes": ["Hardware", "Rota"]}
    [entry] = coding.get("/analyst/api/audit", action="code.answer")["entries"]
    assert entry["count"] == 1  # the audit's column counts answers: one, whatever it was given
    coding.post(f"/analyst/api/responses/{second}/codes", {"add": ["Rota"]})
    assert set(coding.ids(code="Rota")) == {first, second}
    assert set(coding.ids(code="-Rota")) == set(coding.night[2:] + coding.other)
    assert coding.ids(code="Rota", q="chaotic") == [second]
    hit = coding.get("/analyst/api/search", code="Hardware")["hits"][0]
    assert (hit["id"], hit["codes"]) == (first, ["Hardware", "Rota"])
    assert coding.post(f"/analyst/api/responses/{first}/codes", {"remove": ["Rota"]}) == {"codes": ["Hardware"]}
    assert coding.ids(code="Rota") == [second]
    page = coding.client.get(f"/analyst/responses/{first}").get_data(as_text=True)
    assert "Hardware" in page and "by ada" in page
    assert "no code called" in coding.get("/analyst/api/search", 400, code="Nope")["error"]
    assert "no code called" in coding.post(f"/analyst/api/responses/{first}/codes", {"add": ["Nope"]}, 404)["error"]


def test_a_bulk_coding_counts_first_applies_once_and_can_be_undone(coding):
    coding.post("/analyst/api/codes", {"name": "Night shift"}, 201)
    confirm = coding.client.get("/analyst/apply?q=night").get_data(as_text=True)
    assert "<strong>5</strong> answers match" in confirm
    coding.post(f"/analyst/api/responses/{coding.night[0]}/codes", {"add": ["Night shift"]})
    done = coding.post("/analyst/api/codes/Night shift/apply", q="night")
    assert (done["applied"], done["matched"]) == (4, 5)
    assert coding.post("/analyst/api/codes/Night shift/apply", q="night")["applied"] == 0
    assert set(coding.ids(code="Night shift")) == set(coding.night)
    counts = coding.get("/analyst/api/codes/counts")
    assert counts["codes"] == [{"name": "Night shift", "count": 5}] and sum(d["count"] for d in counts["per_day"]) == 5
    assert coding.post(f"/analyst/api/batches/{done['batch']}/undo") == {"removed": 4}
    assert coding.ids(code="Night shift") == [coding.night[0]]  # the one coded by hand keeps it
    assert "undone" in coding.post(f"/analyst/api/batches/{done['batch']}/undo", status=404)["error"]


def test_the_code_by_group_table_counts_and_gives_row_percentages(coding):
    coding.post("/analyst/api/codes", {"name": "Night shift"}, 201)
    coding.post("/analyst/api/codes/Night shift/apply", q="night")
    table = coding.get("/analyst/api/crosstab", group="role")
    rows = {row["value"]: row for row in table["rows"]}
    assert {v: r["answers"] for v, r in rows.items()} == {"Engineer": 5, "Manager": 4, "Designer": 3}
    assert rows["Engineer"]["codes"]["Night shift"] == {"count": 5, "percent": 100.0}
    assert rows["Manager"]["codes"]["Night shift"] == {"count": 0, "percent": 0.0}
    spam = coding.get("/analyst/api/crosstab", group="spam")
    assert spam["rows"][0]["value"] == "false" and spam["rows"][0]["codes"]["Night shift"]["count"] == 5
    assert coding.get("/analyst/api/crosstab", 400, group="experience")["error"]
    page = coding.client.get("/analyst/?survey=onboarding&group=role").get_data(as_text=True)
    assert 'id="crosstab"' in page and "code=Night+shift&amp;f.role=Engineer" in page


def test_a_saved_search_with_a_code_codes_new_matching_answers_automatically(coding):
    coding.post("/analyst/api/codes", {"name": "Night shift"}, 201)
    saved = coding.post("/analyst/api/saved", {"name": "Nights", "params": {"q": "night"}, "code": "Night shift"}, 201)
    assert saved["params"] == {"q": "night"} and saved["code"] == "Night shift"
    assert coding.ids(code="Night shift") == []  # only answers that arrive from now on
    new = coding.answer("Another night shift with nobody around.", role="Engineer")
    unrelated = coding.answer("Great coffee machine.", role="Manager")
    assert coding.ids(code="Night shift") == [new]
    codings = coding.get(f"/analyst/api/responses/{new}/codes")["codings"]
    assert codings[0]["auto"] is True and codings[0]["by"] == "saved search: Nights"
    assert coding.get(f"/analyst/api/responses/{unrelated}/codes")["codings"] == []
    coding.post(f"/analyst/api/responses/{new}/codes", {"remove": ["Night shift"]})
    coding.answer("Night shift number three.", role="Engineer")
    assert new not in coding.ids(code="Night shift")  # an analyst's removal stays
    assert [s["name"] for s in coding.get("/analyst/api/saved")["saved"]] == ["Nights"]
    assert "exists" in coding.post("/analyst/api/saved", {"name": "nights", "params": {}}, 409)["error"]


def test_renaming_keeps_codings_deleting_removes_them(coding):
    coding.post("/analyst/api/codes", {"name": "Night"}, 201)
    coding.post("/analyst/api/saved", {"name": "Not nights", "params": {"code": "-night"}}, 201)
    coding.post("/analyst/api/codes/Night/apply", q="night")
    renamed = coding.client.patch("/analyst/api/codes/Night", json={"name": "Night shift", "description": "rotas"})
    assert renamed.status_code == 200 and renamed.json["description"] == "rotas"
    assert set(coding.ids(code="Night shift")) == set(coding.night)
    assert coding.get("/analyst/api/saved")["saved"][0]["params"] == {"code": "-Night shift"}
    assert coding.client.delete("/analyst/api/codes/Night%20shift").json == {"removed_from": 5}
    assert coding.get("/analyst/api/codes") == {"codes": []}
    assert coding.get("/analyst/api/search", 400, code="Night shift")


def test_exports_carry_the_codes(coding):
    coding.post("/analyst/api/codes", {"name": "Night shift"}, 201)
    coding.post("/analyst/api/codes", {"name": "Laptop"}, 201)
    coding.post("/analyst/api/codes/Night shift/apply", q="night")
    coding.post("/analyst/api/codes/Laptop/apply", q="laptop")
    rows = list(csv.DictReader(io.StringIO(coding.client.get("/analyst/export.csv?code=Laptop").get_data(as_text=True))))
    assert sorted(r["codes"] for r in rows) == ["Laptop", "Laptop; Night shift"]
    lines = coding.client.get("/analyst/export.ndjson?code=-Night+shift&code=Laptop").get_data(as_text=True)
    assert [line.count('"codes": ["Laptop"]') for line in lines.splitlines()] == [1]


def test_erasing_an_answer_erases_its_codings(coding):
    coding.post("/analyst/api/codes", {"name": "Night shift"}, 201)
    coding.post("/analyst/api/codes/Night shift/apply", q="night")
    coding.app.config["WTF_CSRF_ENABLED"] = False
    answer = coding.client.get(f"/analyst/api/responses/{coding.night[0]}/codes")
    assert answer.status_code == 200
    from models import receipt_for
    response = coding.client.post("/analyst/erase", data={"receipt": receipt_for(coding.night[0]), "confirm": "yes"})
    assert response.status_code == 303
    assert coding.get("/analyst/api/codes/counts")["codes"] == [{"name": "Night shift", "count": 4}]
    assert coding.get("/analyst/api/codes")["codes"][0]["answers"] == 4


def test_results_sort_by_date_either_way_and_email_takes_a_domain(coding):
    other = coding.answer("A night shift answer from elsewhere.", email="x@other.org")
    assert coding.ids(email="@other.org") == [other] == coding.ids(email="Other.org")
    assert other not in coding.ids(email="@example.org") and len(coding.ids(email="new@example.org")) == 12
    assert "domain" in coding.get("/analyst/api/search", 400, email="a@b@c")["error"]
    oldest = coding.ids(sort="oldest")
    assert (oldest[0], oldest[-1]) == (coding.night[0], other) and coding.ids(sort="newest") == oldest[::-1]
    assert coding.ids(q="night", sort="oldest")[0] == coding.night[0]
    assert "sort must be" in coding.get("/analyst/api/search", 400, sort="random")["error"]
