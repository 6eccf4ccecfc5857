"""Issue 40 #12: the current axe-core finds no WCAG 2.0, 2.1 or 2.2 A or AA violation on any analyst page
(every GET page of the URL map, with data on it), the export menu open included."""

import pytest
from selenium.webdriver.common.by import By

from collector import create_app
from collector.coding import stores
from collector.reliability import stores as rounds
from tests.browser.axe import violations
from tests.browser.kit import click, log_in_as_ada, wait
from tests.browser.test_coding_view import night_answers
from tests.helpers import write_surveys
from tests.serving import serving_app

pytestmark = pytest.mark.browser
NOT_PAGES = {"analyst.export", "analyst.codebook_pages.codebook_download", "analyst.cooccurrence.download",
             # files, a fragment, the way in
             "analyst.rounds.download", "analyst.panels.terms", "analyst.login"}


@pytest.fixture
def team(app_config, tmp_path):
    """Answers, codes (one applied), a memo, a saved search and a round, served with CSRF on; (url, ids, round)."""
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path), WTF_CSRF_ENABLED=True, TESTING=False))
    ids = night_answers(app, 6)
    with app.test_request_context():
        store = stores.current()
        rota = store.code_named("Rota")
        store.apply(rota, ids[:3], "ada", [("q", "night")])
        store.add_memo(f"code:{rota['id']}", "Nights come up on Mondays.", "ada")
        saved_id = store.save("nights", [["q", "night"]], "Rota", "ada")["id"]
        codes = [[c["id"], c["name"]] for c in store.codebook()]
        round_id = rounds.current().create_round({"name": "Pilot", "codes": codes, "params": [], "units": ids[:4],
                                                  "coders": ["ada", "bea"], "sample": {"seed": 1, "matching": 4}},
                                                 "ada")["id"]
    with serving_app(app) as url:
        yield url, app, ids, {"code_id": rota["id"], "doc_id": ids[0], "round_id": round_id, "answer_id": ids[0],
                              "saved_id": saved_id}


def pages(app, values):
    """Every analyst GET page, its arguments filled from the team's data."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/analyst") and "/api/" not in rule.rule and "GET" in rule.methods \
                and rule.endpoint not in NOT_PAGES:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<{name}>", str(values[name]))
            found[rule.endpoint] = path
    return found


def test_every_analyst_page_has_no_wcag_a_or_aa_violation(team, browser):
    url, app, ids, values = team
    log_in_as_ada(browser, url + "/analyst/")
    found = {}
    for endpoint, path in sorted(pages(app, values).items()):
        browser.get(url + path + ("?q=night" if endpoint in ("analyst.index", "analyst.coding.apply") else ""))
        found[endpoint] = violations(browser)
    browser.get(url + "/analyst/?q=night")
    summary = browser.find_element(By.CSS_SELECTOR, "#export-menu summary")
    click(browser, summary)
    settled = "return arguments[0].getAnimations().length === 0"  # the button's colour transition is over
    menu = browser.find_element(By.ID, "export-menu")
    wait(browser, lambda b: b.execute_script(settled, summary) and menu.get_attribute("open"))
    found["the export menu, open"] = violations(browser)
    failing = [f"{page}: {line}" for page, said in found.items() for line in said]
    assert failing == [], "\n".join(failing)
    assert len(found) >= 18
