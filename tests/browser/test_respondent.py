"""Real headless Chromium: a respondent answers, by mouse and by keyboard alone, and never loses text."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec

from collector.search import engines
from models import id_for_receipt
from tests.browser.kit import focused, press, wait
from tests.helpers import drain

pytestmark = pytest.mark.browser


def test_respondent_fixes_a_validation_error_and_gets_a_receipt(live, browser):
    app, url = live
    browser.get(url + "/")
    essay = browser.find_element(By.ID, "essay")
    essay.send_keys("The new deploy tool saved me an hour every day.")
    counter = browser.find_element(By.ID, "essay-count")
    assert counter.text == "47 of 10,000 characters"
    browser.find_element(By.ID, "email").send_keys("not-an-email")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait(browser, ec.visibility_of_element_located((By.ID, "email-error")))
    assert "does not look like an email" in error.text
    email = browser.find_element(By.ID, "email")
    assert email.get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "essay").get_attribute("value").startswith("The new deploy tool")
    email.clear()
    email.send_keys("me@example.org")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    receipt = wait(browser, ec.visibility_of_element_located((By.ID, "receipt")))
    assert len(receipt.text) == 26 and "/thanks/" in browser.current_url


def test_a_phone_user_answers_every_question_type_with_the_keyboard_alone(live_surveys, browser):
    app, url = live_surveys
    browser.set_window_size(390, 844)
    browser.get(url + "/s/onboarding?source=qr-poster")
    # no sideways scrolling
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    press(browser, Keys.TAB, Keys.TAB)
    assert focused(browser) == "experience"
    press(browser, "The badge printer was broken for a week.", Keys.TAB, "Badges", Keys.TAB)
    assert focused(browser) == "role-0"
    press(browser, Keys.ARROW_DOWN)  # arrows move the choice within a radio group
    press(browser, Keys.TAB, Keys.SPACE, Keys.TAB, Keys.TAB, Keys.SPACE)  # tick Slack and VPN
    press(browser, Keys.TAB, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert focused(browser) == "satisfaction-3"
    press(browser, Keys.TAB)
    assert focused(browser) == "consent"
    press(browser, Keys.SPACE, Keys.TAB, "phone@example.org", Keys.ENTER)
    receipt = wait(browser, ec.visibility_of_element_located((By.ID, "receipt")))
    assert "Thanks, your onboarding answer is saved." in browser.find_element(By.ID, "thank-you").text
    if app.config["SEARCH_URL"]:
        drain(app)
    with app.test_request_context():
        doc = engines.current().get(id_for_receipt(receipt.text))
    assert doc.answers.to_dict() == {
        "source": "qr-poster", "experience": "The badge printer was broken for a week.", "headline": "Badges",
        "role": "Designer", "tools": ["Slack", "VPN"], "satisfaction": 4, "consent": "y"}


def test_a_missing_answer_is_announced_next_to_its_question_and_nothing_is_lost(live_surveys, browser):
    _, url = live_surveys
    browser.set_window_size(390, 844)
    browser.get(url + "/s/onboarding")
    browser.find_element(By.ID, "experience").send_keys("Half an answer")
    browser.find_element(By.ID, "headline").send_keys("Sent too soon", Keys.ENTER)
    error = wait(browser, ec.visibility_of_element_located((By.ID, "role-error")))
    assert error.text == "Please choose an answer."
    assert "role-error" in browser.find_element(By.ID, "role").get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "experience").get_attribute("value") == "Half an answer"
    assert browser.find_element(By.ID, "headline").get_attribute("value") == "Sent too soon"


def contrast(rgb_a, rgb_b):
    """WCAG contrast ratio of two 'rgb(r, g, b)' colours."""
    def luminance(rgb):
        channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_after_a_failed_submit_focus_goes_to_a_summary_that_leads_to_each_question(live_surveys, browser):
    _, url = live_surveys
    browser.get(url + "/s/onboarding")
    browser.find_element(By.ID, "headline").send_keys("Sent too soon", Keys.ENTER)
    summary = wait(browser, ec.visibility_of_element_located((By.ID, "error-summary")))
    assert focused(browser) == "error-summary"
    links = {a.get_attribute("hash"): a.text for a in summary.find_elements(By.TAG_NAME, "a")}
    assert set(links) == {"#experience", "#role-0", "#consent"} and "Your role" in links["#role-0"]
    boxes = browser.find_elements(By.CSS_SELECTOR, "#tools input")
    assert browser.find_element(By.ID, "role").get_attribute("aria-required") == "true"
    assert browser.find_element(By.ID, "role").get_attribute("role") == "radiogroup"
    assert all(box.get_attribute("aria-required") is None for box in boxes)  # tools is optional


@pytest.mark.parametrize("selector", ["#experience", "#role-0", "#tools-0", "#consent"])
def test_form_controls_meet_wcag_non_text_contrast_and_show_focus(live_surveys, browser, selector):
    _, url = live_surveys
    browser.get(url + "/s/onboarding")
    control = browser.find_element(By.CSS_SELECTOR, selector)
    style = lambda name: browser.execute_script(  # noqa: E731
        "return getComputedStyle(arguments[0]).getPropertyValue(arguments[1])", control, name)
    assert contrast(style("border-top-color"), "rgb(255, 255, 255)") >= 3.0
    browser.execute_script("arguments[0].focus()", control)
    press(browser, Keys.SHIFT)  # a key press makes the focus keyboard focus (:focus-visible)
    assert float(style("outline-width").rstrip("px")) >= 2 and style("outline-style") == "solid"
    assert contrast(style("outline-color"), "rgb(255, 255, 255)") >= 3.0
