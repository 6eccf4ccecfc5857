"""Issue 27 #1: blind double-coding rounds, in both engines and both stores: the sample, blindness on
pages and through the API, the report, and an adjudication that keeps every coder's own codes."""
import pytest

from models import receipt_for

# Rota as ada and bea give it on the round's six units: they differ on the third and the sixth.
ADA, BEA = [1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 1]


def test_a_round_samples_the_search_reproducibly_and_can_be_stratified(team):
    first, again = team.start(), team.start(name="Again")
    assert len(first["units"]) == 6 and first["units"] == again["units"]
    assert set(first["units"]) <= set(team.night + team.other)
    by_role = team.start(name="By role", sample=4, stratify="role")["units"]
    roles = {answer: "Engineer" if answer in team.night else "other" for answer in by_role}
    # 5 of 12 engineers: 1.67 -> 2
    assert sorted(roles.values()) == ["Engineer", "Engineer", "other", "other"]


@pytest.mark.parametrize("change, status", [
    ({"coders": ["ada"]}, 400), ({"coders": ["ada", "zed"]}, 400), ({"codes": []}, 400),
    ({"codes": ["Nothing"]}, 404), ({"sample": 13}, 400), ({"name": ""}, 400), ({"stratify": "experience"}, 400),
])
def test_a_round_that_cannot_be_is_refused_and_none_is_made(team, change, status):
    team.start(status=status, **change)
    assert team.get("/analyst/api/rounds")["rounds"] == []


def test_while_open_no_coder_sees_another_coders_codes_on_pages_or_through_the_api(team):
    started = team.start()
    round_id, units = started["id"], started["units"]
    for unit, rota in zip(units, ADA):
        team.code_as(team.client, round_id, unit, ["Rota"] if rota else [])
    queue = team.bea.get(f"/analyst/api/rounds/{round_id}/queue").json
    assert [unit["codes"] for unit in queue["units"]] == [None] * 6
    assert [u["codes"] for u in team.get(f"/analyst/api/rounds/{round_id}/queue")["units"]] == [
        ["Rota"] if rota else [] for rota in ADA]
    assert team.bea.get(f"/analyst/api/rounds/{round_id}/report").status_code == 409
    unit_page = team.bea.get(f"/analyst/rounds/{round_id}/code?at=1").get_data(as_text=True)
    assert "checked" not in unit_page.split('id="unit-form"')[1]
    assert team.bea.get(f"/analyst/rounds/{round_id}.csv").status_code == 409
    # a round's codes are not the answer's codes
    assert team.get("/analyst/api/search")["hits"][0]["codes"] == []
    cy = team.app.test_client()
    cy.post("/analyst/login", data={"name": "cy", "password": "correct horse battery staple"})
    assert cy.get(f"/analyst/api/rounds/{round_id}/queue").status_code == 403
    team.code_as(cy, round_id, units[0], ["Rota"], status=403)


def coded_and_closed(team):
    started = team.start()
    for client, given in ((team.client, ADA), (team.bea, BEA)):
        for unit, rota in zip(started["units"], given):
            team.code_as(client, started["id"], unit, ["Rota"] if rota else [])
    team.post(f"/analyst/api/rounds/{started['id']}/close")
    return started["id"], started["units"]


def test_the_report_gives_alpha_kappa_agreement_and_the_disagreements(team):
    round_id, units = coded_and_closed(team)
    report = team.get(f"/analyst/api/rounds/{round_id}/report")
    rota = report["codes"]["Rota"]
    # Hand-computed: agreement 4/6; kappa (0.667 - 0.5) / 0.5; alpha 1 - 11 * 4 / (2 * 6 * 6).
    assert (rota["agreement"], rota["kappa"], rota["alpha"], rota["units"]) == (0.667, 0.333, 0.389, 6)
    assert rota["alpha_ci"][0] <= 0.389 <= rota["alpha_ci"][1] and rota["verdict"] == "not reliable"
    assert report["codes"]["Kit"]["alpha"] is None and report["codes"]["Kit"]["agreement"] == 1.0
    assert sorted(report["disagreements"]) == sorted([units[2], units[5]])
    team.code_as(team.client, round_id, units[0], [], status=409)  # closed: the codes are final


def test_adjudication_sets_the_answers_codes_and_the_round_keeps_both_coders(team):
    round_id, units = coded_and_closed(team)
    team.post(f"/analyst/api/rounds/{round_id}/adjudicate/{units[2]}", {"codes": ["Rota"]})
    team.settle()
    assert team.get(f"/analyst/api/responses/{units[2]}/codes")["codings"][0]["name"] == "Rota"
    assert units[2] in team.ids(code="Rota")
    # as coded
    assert team.get(f"/analyst/api/rounds/{round_id}/report")["codes"]["Rota"]["agreement"] == 0.667
    rows = team.client.get(f"/analyst/rounds/{round_id}.csv").get_data(as_text=True).splitlines()
    assert rows[0] == "answer_id,coder,code:Rota,code:Kit"
    assert [row for row in rows if row.startswith(units[2])] == [f"{units[2]},ada,1,0", f"{units[2]},bea,0,0",
                                                                 f"{units[2]},decision:ada,1,0"]
    page = team.client.get(f"/analyst/rounds/{round_id}").get_data(as_text=True)
    assert "0.389" in page and "decided" in page


def test_an_adjudication_waits_for_the_round_to_close(team):
    started = team.start()
    refused = team.client.post(f"/analyst/api/rounds/{started['id']}/adjudicate/{started['units'][0]}",
                               json={"codes": ["Rota"]})
    assert refused.status_code == 409 and team.get(f"/analyst/api/responses/{started['units'][0]}/codes")[
        "codings"] == []


def test_erasing_an_answer_erases_what_rounds_said_of_it(team):
    round_id, units = coded_and_closed(team)
    team.post(f"/analyst/api/rounds/{round_id}/adjudicate/{units[2]}", {"codes": ["Rota"]})
    erased = team.client.post("/analyst/erase", data={"receipt": receipt_for(units[2]), "confirm": "yes"})
    assert erased.status_code in (200, 303)
    rows = team.client.get(f"/analyst/rounds/{round_id}.csv").get_data(as_text=True)
    assert units[2] not in rows and units[0] in rows
    assert units[2] not in team.get(f"/analyst/api/rounds/{round_id}/report")["decided"]
