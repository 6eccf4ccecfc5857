"""Real headless Chromium: an analyst codes answers one by one with the keyboard alone (issue 29)."""
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from collector.coding import stores
from tests.browser.kit import click, log_in_as_ada, press, screenshot, wait
from tests.helpers import drain, store

pytestmark = pytest.mark.browser
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def night_answers(app, count):
    """Answers to the onboarding survey, newest last; their ids newest first (the search's order)."""
    state = "pending" if app.config["SEARCH_URL"] else "shipped"
    ids = [store(app, f"Night shift story {n}", state=state, when=START + timedelta(hours=n), survey="onboarding",
                 survey_version=2, answers={"experience": f"Night shift story {n}", "role": "Engineer"})
           for n in range(count)]
    if app.config["SEARCH_URL"]:
        drain(app)
    with app.test_request_context():
        for name in ("Rota", "Kit"):
            stores.current().create_code(name, f"Use when the answer is about the {name.lower()}.", "ada")
    return ids[::-1]


def position(browser):
    return browser.find_element(By.ID, "position").text


def pressed(browser, name):
    button = browser.find_element(By.CSS_SELECTOR, f"button.code-toggle[value='{name}']")
    return button.get_attribute("aria-pressed") == "true"


def test_an_analyst_codes_one_by_one_with_keys_and_no_reload(live_surveys, browser):
    app, url = live_surveys
    ids = night_answers(app, 12)
    log_in_as_ada(browser, url + "/analyst/?q=night")  # keys in the order the codes were made: 1 Rota, 2 Kit
    click(browser, browser.find_element(By.ID, "code-one-by-one"))
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "position"), "1 of 12"))
    browser.execute_script("window.sameDocument = true")  # gone if the page reloads
    press(browser, "2")
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "code-status"), "Gave Kit"))
    assert pressed(browser, "Kit") and browser.execute_script("return window.sameDocument") is True
    press(browser, "u")
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "code-status"), "Undone"))
    assert not pressed(browser, "Kit")
    press(browser, "2")
    wait(browser, ec.text_to_be_present_in_element((By.ID, "code-status"), "Gave Kit"))
    press(browser, "j")
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "position"), "2 of 12"))
    assert "at=1" in browser.current_url and "q=night" in browser.current_url  # bookmarkable
    press(browser, "1")
    wait(browser, ec.text_to_be_present_in_element((By.ID, "code-status"), "Gave Rota"))
    press(browser, "k")
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "position"), "1 of 12"))
    assert pressed(browser, "Kit") and not pressed(browser, "Rota")
    press(browser, "u")  # undoes the last change, made on the second answer
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "code-status"), "Undone: Rota"))
    with app.test_request_context():
        assert stores.current().codes_for(ids[:2]) == {ids[0]: ["Kit"]}
    if not app.config["SEARCH_URL"]:
        for width in (390, 1280):
            screenshot(browser, "coding-view", width)
