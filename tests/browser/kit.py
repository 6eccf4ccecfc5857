"""What browser tests do with a page: wait, type, click, read a download."""
import csv
import os
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait


def wait(driver, condition, seconds=10):
    return WebDriverWait(driver, seconds).until(condition)


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
