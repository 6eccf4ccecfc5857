"""Issue 40 #3 and #5: a page may have an id (unique in its survey): the page's anchor on the respondent's
side, its name beside "shown to N" on the dashboard; files without ids stay valid, bad or repeated ids are
refused. Without JavaScript, a question under a condition says when it applies, in the respondent's
language."""
import pytest

from collector import create_app
from collector.surveys import SurveyError
from tests.helpers import log_in, write_surveys

PAGED = """
surveys:
  - slug: pulse
    title: Pulse
    email: "off"
    pages:
      - id: about
        title: About you
        questions:
          - {id: role, type: choice, label: Your role, options: [Engineer, Manager], required: true}
          - {id: tools, type: choices, label: Tools, options: [Slack, VPN]}
      - id: vpn-page
        show_if: '"VPN" in tools'
        questions:
          - {id: vpn, type: rating, label: "How good is the VPN?", required: true}
      - questions:
          - {id: last, type: text, label: "Anything else?"}
"""


def test_a_page_id_is_the_pages_anchor_and_its_name_on_the_dashboard(app_config, tmp_path):
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, PAGED)))
    client = app.test_client()
    first = client.get("/s/pulse").get_data(as_text=True)
    assert '<span id="page-about"></span>' in first
    resume = client.post("/s/pulse", data={"action": "next", "role": "Manager", "tools": "VPN"}).location
    assert resume.endswith("#page-vpn-page") and '<span id="page-vpn-page"></span>' in client.get(resume).get_data(
        as_text=True)
    last = client.post(resume, data={"action": "next", "vpn": "4"}).location
    assert "#page-" not in last  # the last page has no id: no anchor
    client.post(last, data={"action": "finish", "last": "fine"})
    analyst = app.test_client()
    log_in(analyst)
    dashboard = analyst.get("/analyst/", query_string={"survey": "pulse"}).get_data(as_text=True)
    assert "shown to 1 of 1 (on page “vpn-page”)" in dashboard


@pytest.mark.parametrize("change, message", [
    (("id: vpn-page", "id: about"), "page #2: id 'about' is used twice in this survey"),
    (("id: vpn-page", "id: VPN Page"), "page #2: id 'VPN Page' must be 1-40 of a-z"),
    (("id: about", "id: 7up"), "page #1: id '7up' must be 1-40 of a-z"),
])
def test_a_bad_or_repeated_page_id_is_refused(app_config, tmp_path, change, message):
    with pytest.raises(SurveyError, match=message):
        create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, PAGED.replace(*change))))


CONDITIONAL = """
surveys:
  - slug: mood
    title: {en: Mood, de: Stimmung}
    languages: [en, de]
    email: "off"
    questions:
      - {id: role, type: choice, label: {en: Your role, de: Ihre Rolle}, options: [Engineer, Manager]}
      - {id: team, type: text, label: {en: Your team, de: Ihr Team}, show_if: role == "Manager", required: true}
      - {id: tools, type: choices, label: Tools, options: [Slack, VPN]}
      - {id: vpn, type: essay, label: "VPN?", show_if: '"VPN" in tools and not role == "Engineer"'}
"""


@pytest.mark.parametrize("lang, team, vpn", [
    ("en", "(when “Your role” is “Manager”)", "(when “VPN” is among the answers to “Tools” and not “Your role” is "
                                              "“Engineer”)</span> <span class=\"fw-normal text-body-secondary\">"
                                              "(optional)"),
    ("de", "(wenn “Ihre Rolle” ist “Manager”)", "(wenn “VPN” ist unter den Antworten auf “Tools” und nicht"),
])
def test_without_javascript_a_question_under_a_condition_says_when_it_applies(app_config, tmp_path, lang, team, vpn):
    client = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, CONDITIONAL))).test_client()
    page = client.get(f"/s/mood?lang={lang}").get_data(as_text=True)
    assert team in page and vpn in page
