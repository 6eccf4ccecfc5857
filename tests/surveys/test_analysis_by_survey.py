"""Analysts over several surveys, the same in both engines: in=, f.<id>, survey, charts, exports."""
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

import es_client
from collector import create_app
from collector.shipping import indices
from tests.helpers import SURVEYS_YAML, drain, log_in, onboarding_answer, write_surveys

ANSWERS = [  # (survey, link query string, body)
    ("onboarding", "source=newsletter", onboarding_answer()),
    ("onboarding", "source=intranet&cohort=2026-03",
     onboarding_answer(experience="The laptop arrived late, Docker was fine.", headline="VPN headaches",
                       role="Designer", tools=["Docker"], satisfaction="4", email="d@example.org")),
    ("onboarding", "", onboarding_answer(experience="My buddy answered every question.", headline=None,
                                         role="Manager", tools=None, satisfaction="5", email=None)),
    ("exit", "", {"reason": "A better offer elsewhere.", "role": "Engineer"}),
]


@pytest.fixture
def surveyed(engine_config, tmp_path):
    """(app, analyst client, ids by ANSWERS position) with the answers submitted through the forms."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path)))
    client = app.test_client()
    for slug, link, body in ANSWERS:
        assert client.post(f"/s/{slug}?{link}", data=body).status_code == 303
    if engine_config["SEARCH_URL"]:
        assert drain(app).shipped == len(ANSWERS)
    log_in(client)
    ids = [h["id"] for h in reversed(client.get("/analyst/api/search").json["hits"])]
    return app, client, ids


def found(surveyed, **params):
    _, client, ids = surveyed
    result = client.get("/analyst/api/search", query_string=params)
    assert result.status_code == 200, result.json
    return sorted(ids.index(hit["id"]) for hit in result.json["hits"])


SEARCHES = [
    ({"q": "vpn"}, [0, 1]),  # the essay of one, the one-line text answer of the other
    ({"q": "vpn", "in": "headline"}, [1]),
    ({"q": "vpn", "in": "experience"}, [0]),
    ({"q": "-vpn", "in": "headline"}, [0, 2, 3]),
    ({"q": "laptop headaches"}, [1]),  # words may sit in different answers of one response
    ({"q": "offer"}, [3]),
    ({"survey": "exit"}, [3]),
    ({"survey": "onboarding", "q": "question"}, [2]),
    ({"f.role": "Engineer"}, [0, 3]),
    ({"f.role": "Engineer", "survey": "onboarding"}, [0]),
    ({"f.tools": "Docker"}, [1]),
    ({"f.tools": "Slack", "f.role": "Engineer"}, [0]),
    ({"f.satisfaction": "5"}, [2]),
    ({"f.source": "newsletter"}, [0]),
    ({"f.cohort": "2026-03", "q": "laptop"}, [1]),
]


def test_search_by_survey_question_and_answer(surveyed):
    """One set of answers, every way of narrowing it (a table, so the engine's set-up runs once)."""
    for params, expected in SEARCHES:
        assert found(surveyed, **params) == expected, params


def test_a_journal_from_before_the_answer_index_gains_it_on_start(app_config, tmp_path):
    config = dict(app_config, SURVEYS_FILE=write_surveys(tmp_path))
    client = create_app(config).test_client()
    for slug, link, body in ANSWERS:
        assert client.post(f"/s/{slug}?{link}", data=body).status_code == 303
    old = sqlite3.connect(Path(config["DATA_DIR"]) / "journal.sqlite3")
    old.executescript("DROP TABLE answer_values;")  # as the previous release left it
    old.close()
    client = create_app(config).test_client()
    log_in(client)
    assert client.get("/analyst/api/search?f.tools=Docker").json["total"] == 1
    assert client.get("/analyst/api/search?f.role=Engineer&q=offer").json["total"] == 1
    assert client.get("/analyst/api/search?f.satisfaction=5").json["total"] == 1


def test_a_hit_says_which_question_matched(surveyed):
    _, client, ids = surveyed
    hits = client.get("/analyst/api/search?q=headaches").json["hits"]
    assert [(h["question"], h["question_label"]) for h in hits] == [("headline", "Your week in one line")]
    assert hits[0]["highlight"] == "VPN <mark>headaches</mark>"
    (hit,) = client.get("/analyst/api/search?q=late").json["hits"]
    assert (hit["question"], hit["answers"]["tools"]) == ("experience", ["Docker"])


MISNAMED = [
    ({"in": "role"}, "'in' must name a text question"),
    ({"f.colour": "red"}, "no choice, rating or hidden field called 'colour'"),
    ({"f.satisfaction": "high"}, "'satisfaction' is a rating"),
    ({"survey": "nope"}, "There is no survey called 'nope'"),
]


def test_a_parameter_that_names_nothing_is_a_readable_400(surveyed):
    _, client, _ = surveyed
    for params, message in MISNAMED:
        response = client.get("/analyst/api/search", query_string=params)
        assert response.status_code == 400 and message in response.json["error"], params


def test_the_dashboard_charts_each_choice_and_rating_for_the_filters(surveyed):
    _, client, _ = surveyed
    page = client.get("/analyst/?survey=onboarding").get_data(as_text=True)
    assert page.count('<figure class="distribution"') == 3  # role, tools, satisfaction
    assert "<title>Engineer: 1</title>" in page and "<title>Designer: 1</title>" in page
    assert "<title>Slack: 1</title>" in page and "<title>VPN: 1</title>" in page and "<title>Docker: 1</title>" in page
    assert "<title>1: 0</title>" in page and "<title>5: 1</title>" in page  # empty ratings keep their bar
    assert 'href="/analyst/?survey=onboarding&amp;f.role=Designer"' in page
    filtered = client.get("/analyst/?survey=onboarding&f.role=Designer").get_data(as_text=True)
    assert "<title>Engineer: 0</title>" in filtered and "<title>Docker: 1</title>" in filtered
    assert "Your role = Designer" in filtered  # the active filter, removable


def test_exports_have_a_column_per_question_and_hidden_field(surveyed):
    _, client, ids = surveyed
    text = client.get("/analyst/export.csv?survey=onboarding").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    header = text.splitlines()[0].split(",")
    assert header[-9:] == ["experience", "headline", "role", "tools", "satisfaction", "consent", "source", "cohort",
                           "other_answers"]
    first = rows[ids[0]]
    assert (first["survey"], first["survey_version"], first["tools"], first["satisfaction"], first["source"]) == (
        "onboarding", "2", "Slack; VPN", "3", "newsletter")
    assert first["experience"] == "Getting VPN access took three days." and first["other_answers"] == ""
    lines = client.get("/analyst/export.ndjson?survey=exit").get_data(as_text=True).splitlines()
    (exit_row,) = map(json.loads, lines)
    assert (exit_row["reason"], exit_row["role"], exit_row["email"]) == ("A better offer elsewhere.", "Engineer", None)


def test_a_removed_question_stays_searchable_and_exportable(surveyed, tmp_path):
    app, _, ids = surveyed
    without_headline = SURVEYS_YAML.replace(
        '      - {id: headline, type: text, label: Your week in one line}\n', '').replace("version: 2", "version: 3")
    app = create_app(dict(app.config, SURVEYS_FILE=write_surveys(tmp_path, without_headline, "v3.yaml")))
    client = app.test_client()
    log_in(client)
    assert [h["id"] for h in client.get("/analyst/api/search?q=headaches").json["hits"]] == [ids[1]]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        client.get("/analyst/export.csv?survey=onboarding").get_data(as_text=True)))}
    assert "headline" not in rows[ids[1]] and json.loads(rows[ids[1]]["other_answers"]) == {"headline": "VPN headaches"}


def test_init_index_adds_new_questions_fields_in_place_and_says_so(search_config, domain, tmp_path):
    exit_only = "surveys:\n" + SURVEYS_YAML.split("  - slug: exit\n")[1].join(["  - slug: exit\n", ""])
    first = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, exit_only, "first.yaml")))
    alias = domain.alias
    assert first.test_cli_runner().invoke(args=["init-index"]).output == f"{alias} -> {alias}-v1\n"
    both = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path)))
    result = both.test_cli_runner().invoke(args=["init-index"])
    assert result.output.splitlines() == [f"{alias} -> {alias}-v1", "added answer fields: cohort, "
                                          "consent, experience, headline, satisfaction, source, tools"]
    fields = domain.mapping()["properties"]["answers"]["properties"]
    assert (fields["experience"]["type"], fields["tools"]["type"], fields["satisfaction"]["type"]) == (
        "text", "keyword", "integer")
    assert both.test_cli_runner().invoke(args=["init-index"]).output.count("added") == 0
    changed = SURVEYS_YAML.replace("{id: headline, type: text,", "{id: headline, type: rating,")
    third = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, changed, "changed.yaml")))
    refused = third.test_cli_runner().invoke(args=["init-index"])
    assert refused.exit_code == 1 and "headline" in refused.output and "reindex" in refused.output


def test_answers_ship_even_when_the_domain_refuses_mapping_calls(search_config, domain, tmp_path):
    app = create_app(dict(search_config, SURVEYS_FILE=write_surveys(tmp_path)))
    indices.ensure_index(es_client.get_client(app), domain.alias, {"reason": "text"})  # an older definition's
    domain.refuse(r"/_mapping$")  # a role without es:ESHttpGet/Put on the mapping
    assert app.test_client().post("/s/exit", data={"reason": "Shipped regardless."}).status_code == 303
    assert drain(app).shipped == 1
    assert any(s.path.endswith("/_mapping") and s.status == 403 for s in domain.seen)
