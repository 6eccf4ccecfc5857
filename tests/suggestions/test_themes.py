"""Issue 27 #3: themes to start a codebook: a planted theme is recovered, the same seed gives the same
themes, and "make this a code" is a bulk coding with undo; in both engines."""
import pytest

from collector import create_app
from collector.suggestions import themes
from tests.helpers import drain, log_in, new_state, store

PLANTED = ["The VPN kept dropping and the VPN token expired {n}", "VPN access took days and the VPN client crashed {n}",
           "No VPN account on day one, VPN tickets unanswered {n}"]
OTHERS = [["Lunch with the team was lovely {n}", "The canteen lunch and team coffee helped {n}"],
          ["My laptop arrived late and the laptop was broken {n}", "Laptop setup took a week, laptop drivers missing {n}"]]


@pytest.fixture
def corpus(engine_config):
    """30 answers about the VPN (the planted theme), 30 about lunch, 30 about laptops."""
    app = create_app(engine_config)
    planted = {store(app, PLANTED[n % 3].format(n=n), state=new_state(app)) for n in range(30)}
    for group in OTHERS:
        for n in range(30):
            store(app, group[n % 2].format(n=n), state=new_state(app))
    if app.config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    return client, planted


def test_the_themes_recover_the_planted_one_and_the_same_seed_gives_the_same_themes(corpus):
    client, planted = corpus
    found = client.get("/analyst/api/themes", query_string={"k": 3, "seed": 4}).json["themes"]
    vpn = next(theme for theme in found if theme["terms"][0] == "vpn")
    assert vpn["size"] == 30 and set(vpn["examples"]) <= planted
    assert client.get("/analyst/api/themes", query_string={"k": 3, "seed": 4}).json["themes"] == found
    assert client.get("/analyst/api/themes", query_string={"k": 99}).status_code == 400


def test_make_this_a_code_codes_the_themes_answers_as_one_undoable_batch(corpus):
    client, planted = corpus
    page = client.get("/analyst/themes", query_string={"k": 3, "seed": 4}).get_data(as_text=True)
    number = next(n for n in range(3) if f'id="theme-name-{n}" name="name" maxlength="60" value="vpn' in page)
    done = client.post("/analyst/themes/code?k=3&seed=4", data={"theme": number, "name": "VPN trouble"})
    assert done.status_code == 303
    (code,) = client.get("/analyst/api/codes").json["codes"]
    assert (code["name"], code["answers"]) == ("VPN trouble", 30) and code["definition"].startswith("Made from")
    batches = client.get("/analyst/codes").get_data(as_text=True).split('id="batches"')[1]
    undo = batches.split('action="')[1].split('"')[0]
    assert client.post(undo).status_code == 303
    assert client.get("/analyst/api/codes").json["codes"][0]["answers"] == 0


def test_the_response_says_what_the_themes_were_found_in_and_under_which_limits(corpus, monkeypatch):
    client, _ = corpus
    found = client.get("/analyst/api/themes", query_string={"k": 3}).json
    assert (found["answers"], found["newest_only"]) == (90, False)
    assert found["limits"] == {"answers": themes.ANSWERS_MAX, "characters": themes.TEXT_MAX,
                               "terms": themes.VOCABULARY_MAX, "iterations": themes.ITERATIONS_MAX}
    monkeypatch.setattr(themes, "ANSWERS_MAX", 40)
    fewer = client.get("/analyst/api/themes", query_string={"k": 3}).json
    assert (fewer["answers"], fewer["newest_only"]) == (40, True)
    assert sum(theme["size"] for theme in fewer["themes"]) <= 40
    assert "the newest 40 of those matching" in client.get("/analyst/themes?k=3").get_data(as_text=True)


def test_while_another_grouping_runs_too_long_a_request_is_told_to_try_again(corpus, monkeypatch):
    client, _ = corpus
    monkeypatch.setattr(themes, "WAIT_SECONDS", 0)
    assert themes.ONE_AT_A_TIME.acquire(timeout=0)  # a grouping for another search, still running
    try:
        busy = client.get("/analyst/api/themes", query_string={"k": 3})
    finally:
        themes.ONE_AT_A_TIME.release()
    assert busy.status_code == 503 and "try again in a minute" in busy.json["error"]
    assert client.get("/analyst/api/themes", query_string={"k": 3}).status_code == 200


def test_theme_terms_leave_out_filler_words():
    texts = [f"Which of them would help our team? The VPN, which would drop {n}" for n in range(10)] + \
            [f"Our lunch would be better, which of them cooks? {n}" for n in range(10)] + \
            [f"Laptops arrive late {n}" for n in range(10)]  # the filler is in two answers of three
    found, _, _ = themes.find(texts, [str(n) for n in range(30)], 3, seed=1)
    terms = {term for theme in found for term in theme.terms}
    assert {"vpn", "lunch", "laptops"} <= terms and not terms & {"which", "them", "our", "would", "of", "the"}
