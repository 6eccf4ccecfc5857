"""Issue 28 #5: axe-core (the current one: tests/browser/axe.py) finds no WCAG 2.0, 2.1 or 2.2 A or AA
violation in any respondent page state (changing a sent answer too), and a paged survey can be answered by
keyboard alone."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec

from collector import create_app
from tests.browser.axe import violations
from tests.browser.kit import click, focused, press, wait
from tests.helpers import SURVEYS_YAML, write_surveys
from tests.serving import serving_app

pytestmark = pytest.mark.browser
PULSE = """
  - slug: pulse
    title: Pulse
    email: "off"
    allow_edit_days: 7
    pages:
      - title: About you
        questions:
          - {id: role, type: choice, label: Your role, options: [Engineer, Manager], required: true}
          - {id: tools, type: choices, label: Tools you used, options: [Slack, VPN]}
      - title: The VPN
        show_if: '"VPN" in tools'
        questions:
          - {id: vpn, type: rating, label: "How well did the VPN work?", required: true}
          - {id: vpn_why, type: essay, label: "What went wrong?", show_if: vpn <= 2, required: true}
  - slug: welcome
    title: {en: Welcome, de: Willkommen}
    languages: [en, de]
    email: "off"
    questions:
      - {id: role, type: choice, label: {en: Your role, de: Ihre Rolle}, required: true,
         options: [{en: Engineer, de: Ingenieurin}, {en: Manager, de: Managerin}]}
"""


@pytest.fixture
def site(app_config, tmp_path):
    """The test surveys and a paged one, with CSRF on, served on loopback."""
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS_YAML + PULSE),
                          WTF_CSRF_ENABLED=True, TESTING=False))
    with serving_app(app) as url:
        yield url


def submit(browser, button="button[type=submit]"):
    """Press a submit button a person sees (not the paged form's hidden default) and wait for the next page."""
    page = browser.find_element(By.TAG_NAME, "html")
    click(browser, browser.find_element(By.CSS_SELECTOR, f"{button}:not(.visually-hidden)"))
    wait(browser, ec.staleness_of(page))


def test_every_respondent_page_state_has_no_wcag_a_or_aa_violation(site, browser):
    states = {}
    for name, path in (("survey list", "/"), ("every question type", "/s/onboarding"), ("paged, page 1", "/s/pulse"),
                       ("in English", "/s/welcome?lang=en"), ("in German", "/s/welcome?lang=de")):
        browser.get(site + path)
        states[name] = violations(browser)
    browser.get(site + "/s/onboarding")
    submit(browser)
    states["every error at once"] = violations(browser)
    browser.get(site + "/s/welcome?lang=de")
    submit(browser)
    states["an error, in German"] = violations(browser)
    browser.get(site + "/s/pulse")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=tools][value=VPN]"))
    submit(browser, "button[value=next]")
    states["paged: page errors"] = violations(browser)
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=role][value=Manager]"))
    submit(browser, "button[value=next]")
    states["paged: page 2 and the resume link"] = violations(browser)
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=vpn][value='1']"))
    submit(browser, "button[value=finish]")
    states["branching: a question shown by an answer"] = violations(browser)
    browser.find_element(By.ID, "vpn_why").send_keys("It dropped every hour.")
    submit(browser, "button[value=finish]")
    states["thank-you page, with its way back to change the answer"] = violations(browser)
    submit(browser, "#edit button")
    states["changing a sent answer"] = violations(browser)
    submit(browser, "button[value=next]")
    submit(browser, "button[value=finish]")
    states["the change saved"] = violations(browser)
    assert "Your change is saved" in browser.find_element(By.ID, "edited").text
    assert {name: found for name, found in states.items() if found} == {}


def test_a_paged_survey_is_answered_by_keyboard_alone(site, browser):
    browser.get(site + "/s/pulse")
    press(browser, Keys.TAB)  # the skip link
    press(browser, Keys.TAB)  # the first option of the first question
    assert wait(browser, lambda b: focused(b) == "role-0")
    press(browser, Keys.ARROW_DOWN)  # a radio group moves and chooses with the arrows: Manager
    press(browser, Keys.TAB, " ", Keys.TAB, " ")  # Tools: Slack off, VPN on
    page = browser.find_element(By.TAG_NAME, "html")
    press(browser, Keys.ENTER)  # Enter submits with the form's first button: Next
    wait(browser, ec.staleness_of(page))
    assert "Page 2 of 2" in browser.find_element(By.ID, "page-of").text  # the VPN page: VPN was ticked
    assert browser.find_element(By.ID, "page-title").text == "The VPN"
    # "What went wrong?" shows
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=vpn][value='2']"))
    wait(browser, ec.visibility_of_element_located((By.ID, "vpn_why"))).send_keys("It dropped.")
    press(browser, Keys.TAB)
    assert focused(browser) == "" and browser.switch_to.active_element.text == "Back"  # in the order seen
    press(browser, Keys.TAB)
    assert browser.switch_to.active_element.text == "Send my answer"


def test_the_check_itself_finds_what_is_wrong_on_a_page_that_fails(browser):
    browser.get("data:text/html,<html><body><img src='x.png'><input type='text'></body></html>")
    found = " ".join(violations(browser))
    assert "image-alt" in found and "html-has-lang" in found and "label" in found


def test_a_question_shows_as_soon_as_an_earlier_answer_on_the_page_calls_for_it(site, browser):
    browser.get(site + "/s/pulse")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=role][value=Manager]"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=tools][value=VPN]"))
    submit(browser, "button[value=next]")
    why = browser.find_element(By.ID, "vpn_why")
    assert not why.is_displayed()  # vpn <= 2 cannot hold before the rating is given
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=vpn][value='2']"))
    assert wait(browser, lambda b: why.is_displayed())
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=vpn][value='5']"))
    assert wait(browser, lambda b: not why.is_displayed())
    assert violations(browser) == []
    submit(browser, "button[value=finish]")  # hidden, so not required: the answer is sent
    assert "/thanks/" in browser.current_url
