"""Issue 43: a round is closed and adjudicated by its creator or an admin, never by one of its own coders,
unless they are its creator and the round says so; in both engines."""
import pytest

from tests.helpers import log_in


def as_(team, name):
    """A client of the team's app signed in as name."""
    client = team.app.test_client()
    log_in(client, name)
    return client


def started_by(team, creator, coders, creator_decides=False):
    """A round of six answers that creator starts for coders; its id and units."""
    body = {"name": f"By {creator}", "codes": ["Rota", "Kit"], "params": {}, "sample": 6, "seed": 7,
            "coders": coders, "creator_decides": creator_decides}
    response = as_(team, creator).post("/analyst/api/rounds", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json["id"], response.json["units"]


def close(team, name, round_id):
    """name asks to close the round; the response."""
    return as_(team, name).post(f"/analyst/api/rounds/{round_id}/close")


@pytest.mark.parametrize("who, status", [("bea", 403), ("cy", 403), ("cody", 403), ("ada", 200)])
def test_of_the_others_only_an_admin_who_codes_in_it_not_closes_a_round(team, who, status):
    round_id, _ = started_by(team, "ana", ["bea", "cy"])  # ana started it and codes in it not
    response = close(team, who, round_id)
    assert response.status_code == status, response.json
    if status == 403 and who != "cody":
        assert "creator" in response.json["error"]


def test_the_creator_who_codes_in_it_not_closes_and_adjudicates_it(team):
    round_id, units = started_by(team, "ana", ["bea", "cy"])
    assert close(team, "ana", round_id).status_code == 200
    decided = as_(team, "ana").post(f"/analyst/api/rounds/{round_id}/adjudicate/{units[0]}", json={"codes": ["Rota"]})
    assert decided.status_code == 200
    refused = as_(team, "bea").post(f"/analyst/api/rounds/{round_id}/adjudicate/{units[1]}", json={"codes": []})
    assert refused.status_code == 403 and "You code in this round" in refused.json["error"]


@pytest.mark.parametrize("creator_decides, status", [(False, 403), (True, 200)])
def test_a_creator_who_codes_in_the_round_closes_it_only_when_the_round_says_so(team, creator_decides, status):
    round_id, _ = started_by(team, "bea", ["bea", "cy"], creator_decides)
    assert close(team, "bea", round_id).status_code == status
    assert close(team, "cy", round_id).status_code in (403, 409)  # a coder never, nor once it is closed


def test_an_admin_who_codes_in_a_round_is_one_of_its_coders_first(team):
    round_id, _ = started_by(team, "bea", ["ada", "cy"])
    refused = close(team, "ada", round_id)
    assert refused.status_code == 403 and "You code in this round" in refused.json["error"]


def test_a_viewer_cannot_be_one_of_a_rounds_coders(team):
    body = {"name": "Viewers", "codes": ["Rota"], "params": {}, "sample": 2, "coders": ["bea", "vic"]}
    refused = as_(team, "ana").post("/analyst/api/rounds", json=body)
    assert refused.status_code == 400 and "'vic' is a viewer" in refused.json["error"]


def test_the_round_page_offers_closing_only_to_those_who_may(team):
    round_id, _ = started_by(team, "ana", ["bea", "cy"])
    for name, offered in (("bea", False), ("ana", True), ("ada", True), ("vic", False)):
        page = as_(team, name).get(f"/analyst/rounds/{round_id}").get_data(as_text=True)
        assert ('id="close-round"' in page) is offered, name
