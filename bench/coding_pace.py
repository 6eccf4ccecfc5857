"""How fast the one-by-one coding view lets an analyst go, in real headless Chromium: each round
gives the answer a code with its key (through the JSON API, no reload), waits until the page says
so, then steps to the next answer with j and waits for it. Actions per minute count both keys;
a person reading is slower, so this is the ceiling the machine sets (target: 30 or more).
Run: python -m bench.coding_pace  (needs Debian's chromium and chromium-driver)
"""
import json
import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from bench import analyst, servers
from collector import create_app, journal
from collector.coding import stores
from collector.search import engines
from collector.shipping import shipper
from tests.helpers import store

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))


def build_app(data_dir, url=None):
    """An app (embedded, or search mode on the node at url) with ROUNDS + 1 answers and the code 'Rota'."""
    settings = {"DATA_DIR": data_dir, "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False,
                "ANALYSTS": analyst.analysts_setting(), **(servers.search_env(url) if url else {})}
    app = create_app(settings)
    start = datetime.now(timezone.utc) - timedelta(days=1)
    for n in range(ROUNDS + 1):  # a second apart, as respondents' answers are: the index orders by the millisecond
        store(app, f"answer {n} about the night shift", state="pending" if url else "shipped",
              when=start + timedelta(seconds=n))
    with app.app_context():
        if url:
            shipper.SHIPPER.of(app).drain(journal.get_db(), time.time() + 300)
            engines.SEARCH.of(app).settle()
    with app.test_request_context():
        stores.current().create_code("Rota", "", "bench")
    return app


def chromium(profile):
    """Headless Chromium, as the browser tests run it."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def pace(app, profile):
    """Serve the app on loopback and code ROUNDS answers in a row; the figures."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url, browser = f"http://127.0.0.1:{server.server_port}", chromium(profile)
    try:
        browser.get(url + "/analyst/code?q=night&at=1")
        browser.find_element(By.ID, "name").send_keys("bench")
        browser.find_element(By.ID, "password").send_keys(analyst.PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait = WebDriverWait(browser, 10, poll_frequency=0.01)
        wait.until(lambda b: "1 of" in b.find_element(By.ID, "position").text)
        started = time.perf_counter()
        for n in range(1, ROUNDS + 1):
            ActionChains(browser).send_keys("1").perform()
            wait.until(lambda b: "Gave Rota" in b.find_element(By.ID, "code-status").text)
            ActionChains(browser).send_keys("j").perform()
            wait.until(lambda b, n=n: b.find_element(By.ID, "position").text.startswith(f"{n + 1} of"))
        seconds = time.perf_counter() - started
    finally:
        browser.quit()
        server.shutdown()
    return {"rounds": ROUNDS, "actions": 2 * ROUNDS, "seconds": round(seconds, 1),
            "actions_per_minute": round(2 * ROUNDS / seconds * 60)}


def main():
    """One JSON line per mode."""
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps({"mode": "embedded", **pace(build_app(folder + "/e"), folder + "/p1")}), flush=True)
        with servers.domain() as (url, _node):
            os.environ.update(servers.search_env(url))
            print(json.dumps({"mode": "search", **pace(build_app(folder + "/s", url), folder + "/p2")}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
