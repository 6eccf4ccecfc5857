"""Two gunicorn instances (two data dirs) on one real node: what the fleet shares holds on both,
and outlives the instance that wrote it."""
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.helpers import PASSWORD, SURVEYS_YAML, search_env, wait_until, write_surveys
from tests.processes import gunicorn

CAP = 40


def token(browser, url):
    """The CSRF token of a page (every state change needs one)."""
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', browser.get(url).text).group(1)


def logged_in(url):
    """A browser logged in as ada on the instance at url."""
    browser = requests.Session()
    login = url + "/analyst/login"
    browser.post(login, data={"name": "ada", "password": PASSWORD, "csrf_token": token(browser, login)})
    return browser


@pytest.fixture
def fleet(search_config, tmp_path):
    """Instances A and B, each {url, process, data}; stopped afterwards."""
    capped = SURVEYS_YAML.replace("  - slug: exit\n", f"  - slug: exit\n    max_responses: {CAP}\n")
    env = {**search_env(search_config), "SURVEYS_FILE": write_surveys(tmp_path, capped), "SUBMIT_RATE_LIMIT": "off",
           "WEB_CONCURRENCY": "2", "SHIP_POLL_SECONDS": "0.2", "ANALYSTS": search_config["ANALYSTS"]}
    instances = {}
    for name in "ab":
        process, url = gunicorn(tmp_path / name, **env)
        instances[name] = {"url": url, "process": process, "data": tmp_path / name}
    yield instances
    for instance in instances.values():
        instance["process"].terminate()
        instance["process"].wait(timeout=30)


@pytest.mark.slow
def test_a_session_from_a_holds_on_b_and_a_logout_on_b_ends_it_on_a(fleet):
    a, b = fleet["a"]["url"], fleet["b"]["url"]
    browser = logged_in(a)
    assert browser.get(b + "/analyst/api/search").status_code == 200  # no stickiness
    copied = dict(browser.cookies)  # someone else holds a copy of the cookie
    browser.post(b + "/analyst/logout", data={"csrf_token": token(browser, b + "/analyst/")})
    assert wait_until(lambda: requests.get(a + "/analyst/api/search", cookies=copied).status_code == 401, timeout=5)


@pytest.mark.slow
def test_the_audit_log_outlives_the_instance_that_wrote_it(fleet):
    a, b = fleet["a"], fleet["b"]
    browser = logged_in(a["url"])
    erase = a["url"] + "/analyst/erase"
    for step in ("", "yes"):  # the confirmation page, then the erasure
        browser.post(erase, data={"email": "gone@example.org", "confirm": step, "csrf_token": token(browser, erase)})
    a["process"].terminate()
    assert a["process"].wait(timeout=30) == 0  # its last shipper pass sends what is left
    shutil.rmtree(a["data"])  # the instance is replaced, its disk with it
    on_b = logged_in(b["url"])
    entries = wait_until(lambda: [e for e in on_b.get(b["url"] + "/analyst/api/audit").json()["entries"]
                                  if e["action"] == "erase"], timeout=10)
    assert entries and entries[0]["actor"] == "ada" and entries[0]["scope"] == "email"


@pytest.mark.slow
def test_a_cap_holds_exactly_across_the_fleet_under_load(fleet, domain):
    urls = [fleet["a"]["url"], fleet["b"]["url"]]

    def respondent(n):  # one browser per respondent: the form, then the answer
        browser, url = requests.Session(), f"{urls[n % 2]}/s/exit"
        form = browser.get(url)
        if form.status_code == 410:  # full already when the respondent arrived
            return 410
        csrf = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', form.text).group(1)
        return browser.post(url, data={"reason": f"answer {n}", "csrf_token": csrf}, allow_redirects=False).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(respondent, range(3 * CAP)))
    assert (codes.count(303), codes.count(410)) == (CAP, 2 * CAP)
    assert wait_until(lambda: len(domain.docs_or_empty()) == CAP, timeout=10)


def answer_on(url, text):
    """A respondent's answer to the exit survey on one instance; the HTTP status."""
    browser = requests.Session()
    csrf = token(browser, f"{url}/s/exit")
    return browser.post(f"{url}/s/exit", data={"reason": text, "csrf_token": csrf}, allow_redirects=False).status_code


def json_call(browser, method, url, **kwargs):
    """A JSON API call with the page's CSRF token; the JSON answer (checked for success)."""
    headers = {"X-CSRFToken": token(browser, url.split("/analyst/")[0] + "/analyst/")}
    response = browser.request(method, url, headers=headers, **kwargs)
    assert response.status_code < 300, response.text
    return response.json()


@pytest.mark.slow
def test_the_codebook_codings_saved_searches_and_undo_outlive_the_instance_that_made_them(fleet):
    a, b = fleet["a"], fleet["b"]
    on_a, api_a, api_b = logged_in(a["url"]), a["url"] + "/analyst/api", b["url"] + "/analyst/api"
    json_call(on_a, "POST", api_a + "/codes", json={"name": "Nights"})
    json_call(on_a, "POST", api_a + "/saved", json={"name": "nights", "params": {"q": "night"}, "code": "Nights"})
    texts = ["night shift again", "the night rota", "a night without sleep", "a sunny morning", "lunch was fine"]
    assert [answer_on((b if n % 2 else a)["url"], text) for n, text in enumerate(texts)] == [303] * 5
    night = lambda browser, api: browser.get(api + "/search", params={"code": "Nights"}).json()["total"]  # noqa: E731
    assert wait_until(lambda: night(on_a, api_a) == 3, timeout=15)  # b's answers too, whoever sweeps
    json_call(on_a, "POST", api_a + "/codes", json={"name": "Rota"})
    batch = json_call(on_a, "POST", api_a + "/codes/Rota/apply", params={"q": "night"})["batch"]
    a["process"].terminate()
    assert a["process"].wait(timeout=30) == 0
    shutil.rmtree(a["data"])  # the instance is replaced, its disk with it
    on_b = logged_in(b["url"])
    codebook = {code["name"]: code["answers"] for code in on_b.get(api_b + "/codes").json()["codes"]}
    assert codebook == {"Nights": 3, "Rota": 3}
    assert [s["name"] for s in on_b.get(api_b + "/saved").json()["saved"]] == ["nights"]
    actions = {entry["action"] for entry in on_b.get(api_b + "/audit").json()["entries"]}
    assert {"code.create", "saved.create", "code.auto", "code.apply"} <= actions
    assert json_call(on_b, "POST", f"{api_b}/batches/{batch}/undo") == {"removed": 3}
    assert on_b.get(api_b + "/search", params={"code": "Rota"}).json()["total"] == 0
    assert answer_on(b["url"], "one more night shift") == 303  # B alone still codes by the saved search
    assert wait_until(lambda: night(on_b, api_b) == 4, timeout=15)
