"""Dashboard data (totals, answers per day, top terms) on a known set, the same in both modes."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from collector import create_app
from collector.search import charts, distinctive, engines
from collector.search.params import parse_args
from tests.helpers import drain, log_in, new_state, store

FIXTURE = [  # (days ago, essay, spam)
    (0, "The deploy pipeline was slow and the pipeline logs were confusing.", False),
    (0, "Pipeline failures blocked the release twice.", False),
    (0, "Cheap watches here, cheap watches now.", True),
    (3, "Slow builds, slow reviews, slow everything.", False),
    (3, "The release notes were clear and the deploy was calm.", False),
    (10, "Our deploy tooling improved after the migration.", False),
]


@pytest.fixture
def today():
    """Today's UTC date, read when the test starts (not when the module was imported)."""
    return datetime.now(timezone.utc).date()


@pytest.fixture
def dashboard_app(engine_config, today):
    """An app holding the fixture answers, in each engine."""
    app = create_app(engine_config)
    for days_ago, essay, spam in FIXTURE:
        when = datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=timezone.utc)
        store(app, essay, when=when, spam=spam, state=new_state(app))
    if engine_config["SEARCH_URL"]:
        drain(app)
    return app


def overview(app, **params):
    with app.test_request_context():
        return engines.current().overview(parse_args(params))


def test_totals_count_today_the_last_week_and_spam(dashboard_app):
    got = overview(dashboard_app)
    assert (got.total, got.today, got.last_7_days, got.spam) == (6, 3, 5, 1)
    assert got.spam_share == pytest.approx(1 / 6)


def test_answers_per_day_fill_the_gaps_and_follow_the_filters(dashboard_app, today):
    per_day = dict(overview(dashboard_app).per_day)
    assert len(per_day) == 11 and sum(per_day.values()) == 6
    assert (per_day[today], per_day[today - timedelta(days=3)], per_day[today - timedelta(days=5)]) == (3, 2, 0)
    assert overview(dashboard_app, q="deploy").per_day == [
        (today - timedelta(days=10 - n), c) for n, c in enumerate([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1])]
    assert overview(dashboard_app, spam="only").per_day == [(today, 1)]


def test_distinctive_terms_read_words_and_pairs_but_not_stop_words():
    assert distinctive.terms_of("The night shift, and the Night-shift café!") == {
        "night", "shift", "cafe", "night shift", "shift cafe"}
    assert distinctive.jlh(5, 5, 5, 12) == pytest.approx((1 - 5 / 12) * (12 / 5))
    assert distinctive.jlh(1, 10, 10, 100) == 0.0  # no more common than anywhere: not distinctive


def test_the_dashboard_page_draws_the_chart_with_axes_and_a_table(dashboard_app, today):
    client = dashboard_app.test_client()
    log_in(client)
    page = client.get("/analyst/?spam=exclude").get_data(as_text=True)
    assert page.count('<rect class="bar"') == 11 and f"<title>{today}: 2</title>" in page
    assert page.count('class="axis date-tick"') == 6 and ">2</text>" in page  # y axis 0, 1, 2
    assert f"<tr><td>{today}</td><td class=\"text-end\">2</td></tr>" in page
    assert "17%" in page and "Spam share of all" in page  # labelled: over all answers


def test_one_day_is_a_bar_not_a_block_and_a_year_has_few_date_labels():
    one = charts.day_chart([(date(2026, 1, 1), 3)])
    assert one["bars"][0]["w"] == 40 and [t["label"] for t in one["y_ticks"]] == ["0", "1", "2", "3"]
    assert [t["label"] for t in one["x_ticks"]] == ["1 Jan 2026"]
    year = charts.day_chart(charts.fill_days([("2025-01-01", 1), ("2025-12-31", 700)]))
    assert len(year["x_ticks"]) <= 7 and year["y_ticks"][-1]["label"] == "800"
    assert charts.day_chart([]) is None


def test_fill_days_keeps_the_last_year_at_most():
    days = charts.fill_days([("2024-01-01", 1), ("2026-01-01", 2)])
    assert len(days) == 366 and days[-1] == (date(2026, 1, 1), 2) and days[0][1] == 0


def test_distinctive_terms_load_after_the_dashboard_and_offer_only_what_the_query_lacks(app, analyst):
    for n in range(4):
        store(app, f"The night shift rota changed again, week {n}.")
    store(app, "Daytime meetings ran long.")
    page = analyst.get("/analyst/?q=night").get_data(as_text=True)
    assert 'data-src="/analyst/panels/terms?q=night"' in page and 'id="distinctive-terms"' not in page
    fragment = analyst.get("/analyst/panels/terms?q=night", headers={"X-Requested-With": "fetch"})
    listed = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and listed.startswith('<ul class="list-inline" id="distinctive-terms">')
    assert "<title" not in listed and "/analyst/?q=night+rota" in listed
    assert ">night <" not in listed  # already searched for: not offered again
    full = analyst.get("/analyst/panels/terms?q=night").get_data(as_text=True)  # no script: a page of its own
    assert "<title" in full and 'id="distinctive-terms"' in full and "Back to the search" in full
    assert analyst.get("/analyst/panels/terms?from=someday").status_code == 400


def test_a_page_past_the_last_goes_to_the_last_page_with_the_search_kept(app, analyst):
    """Issue 29: ?page=99 showed 'page 99 of 3' and no answers."""
    for n in range(3):
        store(app, f"paged answer {n}")
    response = analyst.get("/analyst/", query_string={"q": "paged", "page": 99, "per_page": 1})
    assert response.status_code == 303 and "page=" in response.location and "q=paged" in response.location
    landed = analyst.get(response.location).get_data(as_text=True)
    assert "page 99" not in landed and re.search(r"page (\d+) of \1", landed)
