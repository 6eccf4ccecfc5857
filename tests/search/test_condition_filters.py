"""Issue 28: a show_if condition counted over stored answers means in both engines what it meant for
the respondent (surveys/branching.py), and the dashboard says a conditional question was shown to N."""
import pytest

from collector import create_app
from collector.search import engines
from collector.search.query import Query
from collector.surveys import branching, conditions
from tests.helpers import drain, log_in, new_state, store, write_surveys
from tests.respondent.test_pages import PULSE

ANSWERS = [{"role": "Manager", "tools": ["VPN"], "vpn": 2, "vpn_why": "It dropped."},
           {"role": "Engineer", "tools": ["Slack"], "last": "fine"},
           {"role": "Manager", "tools": ["VPN", "Slack"], "vpn": 5},
           {"role": "Engineer"}]


@pytest.fixture
def pulse(engine_config, tmp_path):
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, PULSE)))
    for n, answers in enumerate(ANSWERS):
        store(app, f"answer {n}", state=new_state(app), survey="pulse", answers=answers)
    if app.config["SEARCH_URL"]:
        drain(app)
    return app


@pytest.mark.parametrize("condition", [
    'role == "Manager"', 'role != "Manager"', "vpn <= 2", "vpn > 2", "2 >= vpn", '"VPN" in tools',
    '"Slack" in tools and role == "Engineer"', 'not ("VPN" in tools)', "vpn_why", "not last",
    'role == "Manager" or last', "not (vpn < 3 or vpn > 4)",
])
def test_a_condition_counts_the_answers_it_held_for_as_the_respondent_saw_them(pulse, condition):
    expected = sum(branching.shows(condition, answers) for answers in ANSWERS)
    with pulse.app_context():
        assert engines.current().count_where(Query(survey="pulse"), conditions.parse(condition)) == expected


def test_the_dashboard_says_whom_a_conditional_question_was_shown_to(pulse):
    client = pulse.test_client()
    log_in(client)
    page = client.get("/analyst/", query_string={"survey": "pulse"}).get_data(as_text=True)
    vpn = page.split('id="dist-vpn"')[1].split("</figcaption>")[0]
    assert "shown to 2 of 4" in vpn
    assert "shown to" not in page.split('id="dist-role"')[1].split("</figcaption>")[0]
