"""Issue 42 #3: themes that cluster the answers' embeddings, each named by its distinctive words, in both
engines; the same request by words cannot see themes said in different words."""
import pytest

from collector import create_app
from tests.helpers import drain, log_in, new_state, store
from tests.meaning.conftest import embed_all

SAID_MANY_WAYS = {
    "cost": ["The price is too high.", "It costs a fortune.", "Far too expensive for what you get.",
             "Way overpriced compared with last year.", "The fees keep creeping up and the fees hurt.",
             "Paying this much for the fees feels like robbery."],
    "staff": ["We are always short of staff.", "There are not enough nurses on nights.",
              "Two people doing the work of five.", "Vacancies stay open for months.",
              "Understaffed every single weekend, the ward needs nurses.", "Skeleton crew most days."],
    "commute": ["Parking near the office is impossible.", "The bus takes ninety minutes each way.",
                "Trains are cancelled almost daily.", "The car park fills by eight.",
                "Finding a spot to park wastes twenty minutes.", "Late trains wreck my mornings."],
}


@pytest.fixture
def said(engine_config, model_dir):
    """Eighteen answers, three themes said six ways each; (signed-in client, {theme: {ids}})."""
    app = create_app(dict(engine_config, MODEL_DIR=str(model_dir)))
    ids = {theme: {store(app, text, state=new_state(app)) for text in texts} for theme, texts in SAID_MANY_WAYS.items()}
    embed_all(app)
    client = app.test_client()
    log_in(client)
    return client, ids


def themes_of(client, by="meaning"):
    """The themes of every answer, k=3, seed 2."""
    return client.get(f"/analyst/api/themes?by={by}&k=3&seed=2").json


def test_themes_by_meaning_find_what_is_said_in_different_words_and_name_it(said):
    client, ids = said
    found = themes_of(client)
    assert found["by"] == "meaning" and found["answers"] == 18 and found["waiting"] == 0
    cost = [theme for theme in found["themes"] if set(theme["examples"]) <= ids["cost"]]
    assert len(cost) == 1 and cost[0]["size"] == 6  # six ways to say it, hardly a word in common
    assert "fees" in cost[0]["terms"]
    assert not {"the", "is", "and", "for", "it", "too"} & {word for theme in found["themes"] for word in theme["terms"]}
    assert themes_of(client)["themes"] == found["themes"]


def test_a_theme_by_meaning_becomes_a_code_of_exactly_its_answers(said):
    client, ids = said
    page = client.get("/analyst/themes?by=meaning&k=3&seed=2")
    assert page.status_code == 200 and b'<option value="meaning" selected>' in page.data
    number = next(n for n, theme in enumerate(themes_of(client)["themes"]) if set(theme["examples"]) <= ids["cost"])
    made = client.post("/analyst/themes/code?by=meaning&k=3&seed=2", data={"theme": str(number), "name": "Cost"})
    assert made.status_code == 303
    coded = {hit["id"] for hit in client.get("/analyst/api/search?code=Cost&per_page=50").json["hits"]}
    assert coded == ids["cost"]


@pytest.mark.parametrize("query, status", [("by=sound", 400), ("by=words&k=3", 200)])
def test_the_way_to_group_is_one_of_two(said, query, status):
    client, _ = said
    assert client.get(f"/analyst/api/themes?{query}").status_code == status


def test_an_answer_not_embedded_yet_waits_and_is_counted(said, engine_config):
    client, _ = said
    app = client.application
    store(app, "Nobody has embedded this answer yet.", state=new_state(app))
    if engine_config["SEARCH_URL"]:
        drain(app)  # searchable, but the background embedder (off in tests) has not reached it
    found = themes_of(client)
    assert found["answers"] == 18 and found["waiting"] == 1
    assert b"1 newer answers" in client.get("/analyst/themes?by=meaning&k=3").data
