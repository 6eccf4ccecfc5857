"""Real headless Chromium at a phone's width (390 px) and a laptop's (1280 px): the analyst's
dashboard and the respondent's form fit, read and work (issue 29)."""
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from collector.coding import stores
from tests.browser.kit import log_in_as_ada, screenshot, wait
from tests.helpers import drain, store

pytestmark = pytest.mark.browser
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def coded_answers(app):
    """Twelve onboarding answers over six days, half of them coded 'Night shift'."""
    state = "pending" if app.config["SEARCH_URL"] else "shipped"
    ids = [store(app, f"Night shift story {n}" if n % 2 else f"Day shift story {n}", state=state,
                 when=START + timedelta(days=n % 6, hours=n), survey="onboarding", survey_version=2,
                 answers={"experience": f"story {n}", "role": ["Engineer", "Designer", "Manager"][n % 3],
                          "satisfaction": 1 + n % 5})
           for n in range(12)]
    if app.config["SEARCH_URL"]:
        drain(app)
    with app.test_request_context():
        store_ = stores.current()
        code = store_.create_code("Night shift", "", "ada")
        store_.apply(code, ids[1::2], "ada", [])
    if app.config["SEARCH_URL"]:
        drain(app)


def test_the_dashboard_fits_a_phone_and_its_charts_stay_readable(live_surveys, browser):
    app, url = live_surveys
    coded_answers(app)
    log_in_as_ada(browser, url + "/analyst/?survey=onboarding&group=role")
    browser.set_window_size(390, 900)
    browser.refresh()
    wait(browser, ec.visibility_of_element_located((By.ID, "crosstab")))
    if not app.config["SEARCH_URL"]:
        for width in (390, 1280):
            screenshot(browser, "dashboard", width)
        browser.set_window_size(390, 900)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways page
    logout = browser.find_element(By.CSS_SELECTOR, "nav button[type=submit]")
    assert logout.location["x"] + logout.size["width"] <= 390
    table = browser.find_element(By.ID, "crosstab")
    assert browser.execute_script("return getComputedStyle(arguments[0].parentElement).overflowX", table) == "auto"
    labels = browser.find_elements(By.CSS_SELECTOR, "svg text")
    assert labels and min(label.size["height"] for label in labels if label.text) >= 11  # px as rendered
    browser.get(url + "/analyst/codes")
    wait(browser, ec.visibility_of_element_located((By.ID, "new-code")))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390


def test_the_form_fits_a_phone_and_a_laptop(live_surveys, browser):
    app, url = live_surveys
    for width in (390, 1280):
        browser.set_window_size(width, 900)
        browser.get(url + "/s/onboarding")
        wait(browser, ec.visibility_of_element_located((By.ID, "experience")))
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        if not app.config["SEARCH_URL"]:
            screenshot(browser, "form", width)
