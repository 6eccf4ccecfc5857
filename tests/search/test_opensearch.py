"""OpenSearch search bodies, the search engine on the real node, and index lifecycle commands."""
from datetime import date, datetime, timedelta, timezone

import pytest

import config
import es_client
from collector import create_app
from collector.search.opensearch_bodies import search_body
from collector.search.query import Query
from tests.helpers import drain, log_in, store, wait_until


def test_search_body_has_query_filters_highlight_and_paging():
    query = Query(q='slow "customer service" -team retro* OR tooling', date_from=date(2026, 3, 1),
                  date_to=date(2026, 3, 31), spam="exclude", email="a@example.org", page=3)
    body = search_body(query)
    sqs = body["query"]["bool"]["must"][0]["simple_query_string"]
    assert sqs["query"] == '("slow") ("customer service") -"team"'
    assert sqs["fields"] == ["essay"] and sqs["default_operator"] == "and"
    # A prefix is matched against the words as typed, not the stems: its group is a clause of its own.
    either = body["query"]["bool"]["should"]
    assert [(c["simple_query_string"]["query"], c["simple_query_string"]["fields"]) for c in either] == [
        ('("tooling")', ["essay"]), ("(retro*)", ["essay.plain"])]
    assert body["query"]["bool"]["minimum_should_match"] == 1
    assert body["query"]["bool"]["filter"] == [
        {"range": {"submitted_at": {"gte": "2026-03-01", "lt": "2026-04-01", "format": "strict_date"}}},
        {"term": {"is_spam": False}},
        {"term": {"email": "a@example.org"}},
    ]
    assert body["highlight"]["encoder"] == "html"
    assert body["highlight"]["pre_tags"] == ["<mark>"] and body["highlight"]["post_tags"] == ["</mark>"]
    assert "essay" in body["highlight"]["fields"]
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["sort"] == ["_score", {"submitted_at": "desc"}]


def test_without_words_the_body_sorts_newest_first_and_matches_all():
    body = search_body(Query())
    assert "query" not in body or body["query"] == {"match_all": {}}
    assert body["sort"] == [{"submitted_at": "desc"}]


@pytest.mark.parametrize("q", ['"', "(", "a) OR (b", '\\"', "~2", "+-|*", "essay:x"])
def test_user_syntax_never_reaches_the_query_unquoted(q):
    body = search_body(Query(q=q))
    text = body.get("query", {}).get("simple_query_string", {}).get("query", "")
    assert all(c not in text.replace('"', "").replace("(", "").replace(")", "") for c in "\\~+:")


T0 = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)


@pytest.fixture
def shipped(search_app, search_analyst):
    """Four answers shipped to the domain."""
    rows = [("The deploy tool was slow", "a@example.org", False), ("Support answered fast", "b@example.org", False),
            ("Slow support, slow tool", "a@example.org", True), ("Nothing to report", "c@example.org", False)]
    ids = [store(search_app, e, m, T0 + timedelta(days=n), s, state="pending") for n, (e, m, s) in enumerate(rows)]
    assert drain(search_app).shipped == 4
    return search_analyst, ids


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, [3, 2, 1, 0]),
        ({"q": "slow"}, [2, 0]),
        ({"q": "slow -support"}, [0]),
        ({"q": '"support answered"'}, [1]),
        ({"q": "slow", "spam": "exclude"}, [0]),
        ({"email": "a@example.org"}, [2, 0]),
        ({"from": "2026-03-11", "to": "2026-03-12"}, [2, 1]),
    ],
)
def test_analyst_search_through_the_signed_path(shipped, params, expected):
    client, ids = shipped
    result = client.get("/analyst/api/search", query_string=params).json
    assert [ids.index(h["id"]) for h in result["hits"]] == expected
    assert result["total"] == len(expected)


def test_detail_page_reads_from_the_index(shipped):
    client, ids = shipped
    assert "Support answered fast" in client.get(f"/analyst/responses/{ids[1]}").get_data(as_text=True)
    assert client.get("/analyst/responses/00000000-0000-4000-8000-000000000000").status_code == 404


def test_search_before_anything_was_indexed_is_an_empty_page(search_analyst):
    assert search_analyst.get("/analyst/api/search?q=x").json["total"] == 0


def test_an_unreachable_domain_is_a_readable_503_and_answers_are_still_accepted(search_analyst, domain):
    client = search_analyst
    domain.switches.mode = "down"
    assert client.get("/analyst/api/search?q=x").status_code == 503
    assert "did not answer" in client.get("/analyst/?q=x").get_data(as_text=True)
    assert client.post("/", data={"essay": "still taken", "email": "a@example.org"}).status_code == 303
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["search"] == "unreachable"


def test_serverless_collection_works_without_refresh_or_root(search_config, domain):
    domain.service = "aoss"
    app = create_app(dict(search_config, SEARCH_SERVICE="aoss"))
    store(app, "serverless answer", state="pending")
    assert drain(app).shipped == 1
    client = app.test_client()
    assert client.get("/healthz").json["search"] == "ok"
    log_in(client)
    # No _refresh there: the answer becomes searchable after the node's refresh interval (1 s).
    assert wait_until(lambda: client.get("/analyst/api/search?q=serverless").json["total"] == 1, timeout=10)
    assert not domain.bad_signatures()


def test_the_domain_refuses_parameters_it_does_not_know(search_app, domain):
    with search_app.app_context(), pytest.raises(es_client.RequestError, match="unrecognized parameter"):
        es_client.get_client(search_app).reindex(body={}, params={"wait_for_completion_please": "false"})


def test_ship_command_drains_and_exits_zero(search_app, domain):
    for n in range(30):
        store(search_app, f"cli {n}", state="pending")
    result = search_app.test_cli_runner().invoke(args=["ship"])
    assert result.exit_code == 0, result.output
    assert "shipped 30" in result.output and len(domain.docs()) == 30


def test_index_commands_refuse_embedded_mode(runner):
    result = runner.invoke(args=["init-index"])
    assert result.exit_code != 0 and "SEARCH_URL is not set" in result.output


@pytest.mark.parametrize(
    "url, auth, region, service",
    [
        ("https://search-x-abc.us-east-1.es.amazonaws.com", "sigv4", "us-east-1", "es"),
        ("https://abc123.eu-west-2.aoss.amazonaws.com", "sigv4", "eu-west-2", "aoss"),
        ("https://user:pw@search.example.org:9200", "none", None, "es"),
        (None, "none", None, "es"),
    ],
)
def test_search_settings_follow_the_endpoint(url, auth, region, service):
    assert config._search_defaults(url) == (auth, region, service)
