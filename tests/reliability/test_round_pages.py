"""Issue 40 #9: a reliability queue with context: each unit shows its question's label and the round's code
definitions; the disagreements read as snippets; closing asks first; in both engines."""
from collector.search import engines
from tests.reliability.test_rounds import ADA, BEA


def test_a_unit_shows_its_question_and_what_each_code_means(team):
    team.client.patch("/analyst/api/codes/Rota", json={"definition": "The shift rota or its changes.",
                                                        "exclusion": "Not overtime pay."})
    started = team.start()
    page = team.bea.get(f"/analyst/rounds/{started['id']}/code?at=1").get_data(as_text=True)
    assert "What made your first week hard or easy?" in page  # the question, not a bare text
    assert "<strong>Use when:</strong> The shift rota or its changes." in page and "Not overtime pay." in page
    assert 'aria-describedby="unit-code-1-means"' in page


def test_closing_asks_first_and_the_disagreements_read_as_what_they_say(team):
    started = team.start()
    for client, given in ((team.client, ADA), (team.bea, BEA)):
        for unit, rota in zip(started["units"], given):
            team.code_as(client, started["id"], unit, ["Rota"] if rota else [])
    asked = team.client.post(f"/analyst/rounds/{started['id']}/close").get_data(as_text=True)
    assert 'id="confirm-close"' in asked and "ada coded 6 of 6; bea coded 6 of 6." in asked
    assert team.get(f"/analyst/api/rounds/{started['id']}/report", 409)  # still open
    team.client.post(f"/analyst/rounds/{started['id']}/close", data={"confirm": "yes"})
    page = team.client.get(f"/analyst/rounds/{started['id']}").get_data(as_text=True)
    listed = page.split('id="disagreements"')[1].split("</ul>")[0]
    assert "answer 1" not in listed and listed.count("“") == 2  # two disagreements, each by its words
    with team.app.test_request_context():
        disagreements = [engines.current().get(unit) for unit in team.get(
            f"/analyst/api/rounds/{started['id']}/report")["disagreements"]]
    assert all(doc.essay[:20] in listed for doc in disagreements)
