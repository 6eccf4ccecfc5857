"""Dashboard data (totals, answers per day, top terms) on a known set, the same in both modes."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from collector.search import engines, insights
from collector.search.params import parse_args
from tests.helpers import drain, log_in, store

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


@pytest.fixture(params=["embedded", "opensearch"])
def dashboard_app(request, today):
    """An app holding the fixture answers, in each engine."""
    app = request.getfixturevalue("app" if request.param == "embedded" else "search_app")
    state = "shipped" if request.param == "embedded" else "pending"
    for days_ago, essay, spam in FIXTURE:
        when = datetime.combine(today - timedelta(days=days_ago), time(12), tzinfo=timezone.utc)
        store(app, essay, when=when, spam=spam, state=state)
    if request.param == "opensearch":
        drain(app)
    return app


def overview(app, **params):
    with app.test_request_context():
        return engines.current().overview(parse_args(params))


def terms(app, **params):
    with app.test_request_context():
        return insights.top_terms(engines.current().scan(parse_args(params)), n=3)


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


def test_top_terms_of_the_matching_answers(dashboard_app):
    assert terms(dashboard_app) == [("deploy", 3), ("pipeline", 2), ("release", 2)]
    assert terms(dashboard_app, q="release") == [("release", 2)]


def test_the_dashboard_page_draws_the_chart_and_links_terms(dashboard_app, today):
    client = dashboard_app.test_client()
    log_in(client)
    page = client.get("/analyst/?spam=exclude").get_data(as_text=True)
    assert page.count('<rect class="bar"') == 11 and f"<title>{today}: 2</title>" in page
    assert 'href="/analyst/?spam=exclude&amp;q=deploy&amp;page=1"' in page
    assert "17%" in page  # spam share over all answers


def test_chart_bars_scale_to_the_busiest_day():
    bars = insights.chart_bars([(date(2026, 1, 1), 2), (date(2026, 1, 2), 0), (date(2026, 1, 3), 4)], 300, 100)
    assert [(b["x"], b["h"], b["y"]) for b in bars] == [(0, 50, 50), (100, 0, 100), (200, 100, 0)]
    assert insights.chart_bars([]) == []


def test_fill_days_keeps_the_last_year_at_most():
    days = insights.fill_days([("2024-01-01", 1), ("2026-01-01", 2)])
    assert len(days) == 366 and days[-1] == (date(2026, 1, 1), 2) and days[0][1] == 0
