"""Real headless Chromium: an analyst logs in, searches, reads, downloads, codes in bulk and reads the charts."""
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from tests.browser.kit import click, read_download, wait
from tests.helpers import PASSWORD, drain, store

pytestmark = pytest.mark.browser


def test_analyst_searches_reads_downloads_and_sees_the_chart(live, browser):
    app, url = live
    now = datetime.now(timezone.utc)
    for n in range(5):
        store(app, f"Answer {n}: the build pipeline was running slowly.", when=now - timedelta(days=n))
    store(app, "Nothing about builds here.", email="other@example.org")
    browser.get(url + "/analyst/")
    browser.find_element(By.ID, "name").send_keys("ada")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    chart = wait(browser, ec.visibility_of_element_located((By.ID, "per-day-chart")))
    assert chart.size["width"] > 300 and len(chart.find_elements(By.CSS_SELECTOR, "rect.bar")) == 5
    first = (now - timedelta(days=4)).date()
    assert chart.find_elements(By.CSS_SELECTOR, "text.date-tick")[0].text == f"{first.day} {first:%b %Y}"
    assert {t.text for t in chart.find_elements(By.CSS_SELECTOR, "text.axis")} >= {"0", "1"}  # a count axis
    search = browser.find_element(By.ID, "q")
    search.send_keys("run")
    search.submit()
    offered = wait(browser, ec.visibility_of_all_elements_located((By.CSS_SELECTOR, "#distinctive-terms a")))
    assert "pipeline" in {a.text.split()[0] for a in offered}  # loaded after the page, by dashboard.js
    marks = wait(browser, ec.visibility_of_all_elements_located((By.CSS_SELECTOR, "#results mark")))
    assert {m.text for m in marks} == {"running"}
    assert "5 answers" in browser.find_element(By.ID, "total").text
    link = browser.find_element(By.LINK_TEXT, "Read the whole answer")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    link.click()
    essay = wait(browser, ec.visibility_of_element_located((By.ID, "essay")))
    assert "the build pipeline was running slowly" in essay.text
    browser.back()
    # layout settled
    wait(browser, ec.visibility_of_all_elements_located((By.CSS_SELECTOR, "#distinctive-terms a")))
    menu = browser.find_element(By.CSS_SELECTOR, "#export-menu summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", menu)
    menu.click()
    wait(browser, ec.element_to_be_clickable((By.ID, "export-csv"))).click()
    rows = read_download(browser.download_dir, ".csv")
    assert len(rows) == 5 and all("running slowly" in r["essay"] for r in rows)


def test_an_analyst_codes_answers_in_bulk_and_reads_the_code_charts(live_surveys, browser):
    app, url = live_surveys
    state = "pending" if app.config["SEARCH_URL"] else "shipped"
    for essay, role in [(f"Night shift story {n}", "Engineer") for n in range(4)] + [("Day shift", "Manager")]:
        store(app, essay, state=state, survey="onboarding", survey_version=2, answers={"experience": essay, "role": role})
    if app.config["SEARCH_URL"]:
        drain(app)
    browser.get(url + "/analyst/codes")  # the login page comes first
    browser.find_element(By.ID, "name").send_keys("ada")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, ec.visibility_of_element_located((By.ID, "new-code")))
    browser.find_element(By.ID, "name").send_keys("Night shift")
    browser.find_element(By.CSS_SELECTOR, "#new-code button").click()
    assert "Code 'Night shift' added." in wait(browser, ec.visibility_of_element_located((By.CSS_SELECTOR, ".alert"))).text
    browser.get(url + "/analyst/?survey=onboarding&q=night&group=role")
    click(browser, browser.find_element(By.ID, "apply-code"))
    assert "4 answers match" in wait(browser, ec.visibility_of_element_located((By.ID, "apply-count"))).text
    # none is chosen for you
    Select(browser.find_element(By.ID, "code")).select_by_visible_text("Night shift")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#apply-form button"))
    assert "given to 4 more answer(s)" in wait(browser, ec.visibility_of_element_located((By.CSS_SELECTOR, ".alert"))).text
    browser.get(url + "/analyst/?survey=onboarding&group=role")
    chart = browser.find_element(By.CSS_SELECTOR, "#code-summary svg")
    assert chart.size["width"] > 200 and len(chart.find_elements(By.CSS_SELECTOR, "rect.bar")) == 1
    rows = {r.find_element(By.TAG_NAME, "th").text: r.text
            for r in browser.find_elements(By.CSS_SELECTOR, "#crosstab tbody tr")}
    assert "4 (100%)" in rows["Engineer"] and "0 (0%)" in rows["Manager"]
    click(browser, browser.find_element(By.CSS_SELECTOR, "#crosstab tbody tr td:nth-child(3) a"))
    assert wait(browser, ec.text_to_be_present_in_element((By.ID, "total"), "4 answers"))
    one_day = browser.find_element(By.CSS_SELECTOR, "#per-day-chart rect.bar")
    assert 0 < one_day.size["width"] <= 60  # one day is a bar, not a block
