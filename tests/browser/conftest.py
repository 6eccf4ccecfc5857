"""Fixtures of the browser tests: the app served on loopback, and headless Chromium (Debian's
chromium and chromium-driver: missing, the tests skip and say so; under REQUIRE_BROWSER, they fail)."""
import os

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from collector import create_app
from tests.helpers import write_surveys
from tests.serving import serving_app

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "screenshots")


def require_chromium():
    """Skip (or fail, under REQUIRE_BROWSER) where Debian's Chromium and its driver are missing."""
    if os.path.exists(CHROMIUM) and os.path.exists(DRIVER):
        return
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("REQUIRE_BROWSER is set but Debian's chromium/chromium-driver are missing", pytrace=False)
    pytest.skip("apt-get install chromium chromium-driver to run browser tests")


@pytest.fixture
def live(app_config):
    """The app with CSRF on, served on a loopback port in a thread."""
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True, TESTING=False))
    with serving_app(app) as url:
        yield app, url


@pytest.fixture
def browser(request, tmp_path):
    """Headless Chromium; saves a screenshot under tests/screenshots when the test fails."""
    require_chromium()
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
        os.makedirs(SCREENSHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SCREENSHOTS, f"{request.node.name}.png"))
    driver.quit()


@pytest.fixture
def live_surveys(engine_config, tmp_path):
    """The two-survey app with CSRF on, in each engine, served on a loopback port."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path), WTF_CSRF_ENABLED=True, TESTING=False))
    with serving_app(app) as url:
        yield app, url
