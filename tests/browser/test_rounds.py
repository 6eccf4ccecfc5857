"""Real headless Chromium: a coder works through a reliability round's queue with the keyboard alone,
and the closed round's report reads as a table (issue 27), in both engines."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec

from collector.coding import stores
from collector.reliability import stores as rounds
from tests.browser.kit import focused, log_in_as_ada, press, screenshot, text_of, wait
from tests.browser.test_coding_view import night_answers

pytestmark = pytest.mark.browser


def test_a_coder_codes_the_queue_by_keyboard_and_the_closed_round_reports(live_surveys, browser):
    app, url = live_surveys
    ids = night_answers(app, 4)
    with app.test_request_context():
        codes = [[c["id"], c["name"]] for c in stores.current().codebook()]  # Kit, Rota
        round_id = rounds.current().create_round({"name": "Pilot", "codes": codes, "params": [], "units": ids,
                                                  "coders": ["ada", "bea"], "sample": {"seed": 1, "matching": 4},
                                                  "creator_decides": True},
                                                 "ada")["id"]
    log_in_as_ada(browser, f"{url}/analyst/rounds/{round_id}/code")
    tab, save = Keys.TAB, Keys.ENTER  # the codes Kit and Rota, then the button
    for n, keys in enumerate(((" ", tab, tab, save), (tab, " ", tab, save), (tab, tab, save), (" ", tab, tab, save)), 1):
        assert wait(browser, ec.text_to_be_present_in_element((By.ID, "position"), f"{n} of 4"))
        # the codes come first: no hunting for them
        assert wait(browser, lambda b: focused(b) == "unit-code-1")
        page = browser.find_element(By.TAG_NAME, "html")
        press(browser, *keys)
        wait(browser, ec.staleness_of(page))
    assert "ada: 4 of 4" in text_of(browser, "progress")
    with app.test_request_context():
        said = rounds.current().judgments(rounds.current().find_round(round_id))["ada"]
        kit, rota = (str(code_id) for code_id, _ in codes)
        assert [sorted(map(str, said[i])) for i in ids] == [[kit], [rota], [], [kit]]
        for unit, given in zip(ids, ([kit], [kit], [], [])):
            rounds.current().judge(rounds.current().find_round(round_id), "bea", unit, given)
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "close-round").click()
    wait(browser, ec.staleness_of(page))
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "close-round-confirmed").click()  # closing asks first
    wait(browser, ec.staleness_of(page))
    table = text_of(browser, "agreement")
    assert "All codes" in table and "Kit" in table and "Rota" in table
    assert len(browser.find_elements(By.CSS_SELECTOR, "#disagreements a")) == 2
    if not app.config["SEARCH_URL"]:
        screenshot(browser, "reliability-report", 1280)
