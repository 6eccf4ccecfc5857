"""What browser tests do with a page: wait, type, click, read a download."""
import csv
import os
import time
from pathlib import Path

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers import PASSWORD

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def wait(driver, condition, seconds=10):
    """What condition(driver) gives once it is truthy. Chromium sometimes answers a look at a page being
    replaced with a bare WebDriverException ("Node ... does not belong to the document"): looked at again."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,)).until(condition)


def text_of(driver, element_id):
    """The text of the element with this id, once the page holding it has loaded."""
    return wait(driver, lambda d: d.find_element(By.ID, element_id).text)


def read_download(folder, suffix, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        done = [f for f in (os.listdir(folder) if folder.exists() else []) if f.endswith(suffix)]
        if done:
            with open(folder / done[0], newline="", encoding="utf-8") as f:
                return list(csv.DictReader(f))
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download in {folder}")


def press(browser, *keys):
    """Type keys into whatever has the focus, as a keyboard user would."""
    ActionChains(browser).send_keys(*keys).perform()


def focused(browser):
    """The id (or value, for one of a group) of the focused element."""
    element = browser.switch_to.active_element
    return element.get_attribute("id")


def click(browser, element):
    """Scroll an element to the middle of the window (no smooth scrolling) and click it."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def log_in_as_ada(browser, url):
    """Open an analyst page, log in on the login page it leads to, and wait to be back."""
    browser.get(url)
    browser.find_element(By.ID, "name").send_keys("ada")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, ec.invisibility_of_element_located((By.ID, "password")))


def screenshot(browser, name, width):
    """The page as a person sees it at this window width, saved as docs/screenshots/<name>-<width>.png."""
    DOCS_SCREENSHOTS.mkdir(exist_ok=True)
    browser.set_window_size(width, 900)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(max(height, 600), 2400))
    browser.save_screenshot(str(DOCS_SCREENSHOTS / f"{name}-{width}.png"))
    browser.set_window_size(1280, 1000)
