"""The current axe-core (Makefile: AXE_VERSION, fetched from npm by `make test`) run over a page: its
WCAG 2.0, 2.1 and 2.2 A and AA violations, one line each. Missing, the tests skip and say how to get
it; under REQUIRE_BROWSER (CI) they fail."""
import os
import re
from pathlib import Path

import pytest
from selenium_axe_python import Axe

ROOT = Path(__file__).resolve().parents[2]
VERSION = re.search(r"^AXE_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
SCRIPT = ROOT / ".venv" / f"axe-core-{VERSION}.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def require_axe():
    """Skip (or fail, under REQUIRE_BROWSER) where the current axe-core has not been fetched."""
    if SCRIPT.exists():
        return
    reason = f"axe-core {VERSION} is missing: `make test` fetches it with npm ({SCRIPT})"
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def violations(browser):
    """axe's WCAG A and AA violations on the page as it is now, one line each."""
    require_axe()
    axe = Axe(browser, script_url=str(SCRIPT))
    axe.inject()
    found = axe.run(options={"runOnly": {"type": "tag", "values": TAGS}})["violations"]
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})" for v in found]
