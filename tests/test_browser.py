"""Real headless Chromium: a respondent answers; an analyst logs in, searches, reads and downloads."""
import csv
import os
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.serving import make_server

from collector import create_app
from collector.search import engines
from models import id_for_receipt
from tests.helpers import PASSWORD, drain, store, write_surveys

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = pytest.mark.browser
if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError("REQUIRE_BROWSER is set but Debian's chromium/chromium-driver are missing")
    pytest.skip("apt-get install chromium chromium-driver to run browser tests", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def live(app_config):
    """The app with CSRF on, served on a loopback port in a thread."""
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True, TESTING=False))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser(request, tmp_path):
    """Headless Chromium; saves a screenshot under tests/screenshots when the test fails."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads")})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.download_dir = tmp_path / "downloads"
    yield driver
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = os.path.join(os.path.dirname(__file__), "screenshots")
        os.makedirs(folder, exist_ok=True)
        driver.save_screenshot(os.path.join(folder, f"{request.node.name}.png"))
    driver.quit()


def wait(driver, condition, seconds=10):
    return WebDriverWait(driver, seconds).until(condition)


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
    wait(browser, ec.visibility_of_all_elements_located((By.CSS_SELECTOR, "#distinctive-terms a")))  # layout settled
    export = browser.find_element(By.ID, "export-csv")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", export)
    export.click()
    rows = read_download(browser.download_dir, ".csv")
    assert len(rows) == 5 and all("running slowly" in r["essay"] for r in rows)


def read_download(folder, suffix, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        done = [f for f in (os.listdir(folder) if folder.exists() else []) if f.endswith(suffix)]
        if done:
            with open(folder / done[0], newline="", encoding="utf-8") as f:
                return list(csv.DictReader(f))
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download in {folder}")


@pytest.fixture
def live_surveys(engine_config, tmp_path):
    """The two-survey app with CSRF on, in each engine, served on a loopback port."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path), WTF_CSRF_ENABLED=True, TESTING=False))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def press(browser, *keys):
    """Type keys into whatever has the focus, as a keyboard user would."""
    ActionChains(browser).send_keys(*keys).perform()


def focused(browser):
    """The id (or value, for one of a group) of the focused element."""
    element = browser.switch_to.active_element
    return element.get_attribute("id")


def test_a_phone_user_answers_every_question_type_with_the_keyboard_alone(live_surveys, browser):
    app, url = live_surveys
    browser.set_window_size(390, 844)
    browser.get(url + "/s/onboarding?source=qr-poster")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scrolling
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


def click(browser, element):
    """Scroll an element to the middle of the window (no smooth scrolling) and click it."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


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
