"""Real headless Chromium: the codebook as a tree, moving a code and moving it back, merging two
codes and undoing the merge, in both engines (issue 26)."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from collector.coding import stores
from tests.browser.kit import click, log_in_as_ada, screenshot, wait
from tests.browser.test_coding_view import night_answers

pytestmark = pytest.mark.browser


def rows(browser):
    """{code name: its depth in the tree} as the codebook page shows it, in page order."""
    found = browser.find_elements(By.CSS_SELECTOR, "#codebook tr.code-row")
    return {row.find_element(By.CSS_SELECTOR, "td a").text: int(row.get_attribute("data-depth")) for row in found}


def open_changes(browser, name):
    """Open a code's 'Edit, move or delete' panel; the row."""
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#codebook tr.code-row")
               if r.find_element(By.CSS_SELECTOR, "td a").text == name)
    click(browser, row.find_element(By.TAG_NAME, "summary"))
    return row


def follow(browser, element):
    """Click something that loads a page, and wait until the old page is gone."""
    page = browser.find_element(By.TAG_NAME, "html")
    click(browser, element)
    wait(browser, ec.staleness_of(page))


def submit_choice(browser, name, select_prefix, choice, button):
    """In a code's panel, choose an option of one of its selects and press the button beside it."""
    row = open_changes(browser, name)
    select = row.find_element(By.CSS_SELECTOR, f"select[id^='{select_prefix}-']")
    Select(select).select_by_visible_text(choice)
    follow(browser, select.find_element(By.XPATH, "ancestor::form").find_element(By.XPATH, f".//button[.='{button}']"))


def test_an_analyst_moves_a_code_under_another_merges_two_and_undoes_both(live_surveys, browser):
    app, url = live_surveys
    ids = night_answers(app, 3)
    with app.test_request_context():
        store = stores.current()
        store.create_code("Work", "", "ada")
        store.change_codes(ids[0], ["Rota"], [], "ada")
        store.change_codes(ids[1], ["Kit", "Rota"], [], "ada")
    log_in_as_ada(browser, url + "/analyst/codes")
    assert rows(browser) == {"Kit": 0, "Rota": 0, "Work": 0}
    submit_choice(browser, "Rota", "parent", "Work", "Move")
    wait(browser, ec.presence_of_element_located((By.ID, "undo-move")))
    assert rows(browser) == {"Kit": 0, "Work": 0, "Rota": 1}
    assert "now sits under 'Work'" in browser.page_source.replace("&#39;", "'")
    if not app.config["SEARCH_URL"]:
        screenshot(browser, "codebook-tree", 1280)
    follow(browser, browser.find_element(By.CSS_SELECTOR, "#undo-move button"))
    wait(browser, ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "Move undone"))
    assert rows(browser) == {"Kit": 0, "Rota": 0, "Work": 0}
    submit_choice(browser, "Rota", "into", "Kit", "Merge")
    wait(browser, ec.presence_of_element_located((By.ID, "undo-merge")))
    assert rows(browser) == {"Kit": 0, "Work": 0}
    follow(browser, browser.find_element(By.CSS_SELECTOR, "#undo-merge button"))
    wait(browser, ec.text_to_be_present_in_element((By.TAG_NAME, "main"), "Merge undone"))
    assert rows(browser) == {"Kit": 0, "Rota": 0, "Work": 0}
    with app.test_request_context():
        assert stores.current().codes_for(ids) == {ids[0]: ["Rota"], ids[1]: ["Kit", "Rota"]}
