"""Issue 30 #11: a rating filter takes a whole number an index can hold; anything else is a 400 that
says so, before any response starts (an export never stops mid-stream over it)."""
import pytest

from collector import create_app
from tests.helpers import drain, log_in, onboarding_answer, write_surveys


@pytest.fixture
def rated(engine_config, tmp_path):
    """An analyst's client on an app whose onboarding survey has the rating `satisfaction`, with one answer."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path)))
    assert app.test_client().post("/s/onboarding", data=onboarding_answer()).status_code == 303
    if engine_config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    return client


BAD = ["--5", "²", "٣", "+3", "3.0", "55555555555555555555", "2147483648"]


@pytest.mark.parametrize("route", ["/analyst/api/search", "/analyst/export.csv", "/analyst/api/codes/counts"])
def test_a_rating_filter_that_is_not_a_whole_number_is_a_clear_400(rated, route):
    for value in BAD:
        response = rated.get(route, query_string={"f.satisfaction": value})
        assert response.status_code == 400, (value, response.get_data(as_text=True)[:300])
        assert "is a rating: filter it by a whole number" in response.get_data(as_text=True), value


def test_a_rating_filter_within_range_still_filters(rated):
    assert rated.get("/analyst/api/search", query_string={"f.satisfaction": "3"}).json["total"] == 1
    assert rated.get("/analyst/api/search", query_string={"f.satisfaction": "-3"}).json["total"] == 0
