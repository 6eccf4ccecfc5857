"""The run's own hooks: apps that share what they compile, marking the tests that need the real node, keeping
reports on items, stopping the shared node, and failing a run that wrote into the checkout."""
import sys
from pathlib import Path

import pytest

from tests.apps_once import share_compiled_templates, share_url_builders
from tests.frontdoor.nodes import stop_node


def pytest_configure(config):
    """Every app of this process shares compiled templates and URL builders (tests/apps_once.py)."""
    share_compiled_templates()
    share_url_builders()


NODE_PARAMS = {"opensearch", "search_analyst"}  # the params that pick the real node at run time


def pytest_collection_modifyitems(items):
    """Mark every test that needs the real node `node`, so `make test-fast` can leave them to `make test`."""
    for item in items:
        params = item.callspec.params.values() if hasattr(item, "callspec") else ()
        if "opensearch_url" in getattr(item, "fixturenames", ()) or NODE_PARAMS & set(map(str, params)):
            item.add_marker(pytest.mark.node)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether it failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


INSTANCE_EXISTED = pytest.StashKey[bool]()
CHECKOUT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def pytest_sessionstart(session):
    """Note whether the checkout already had an instance/ (make run makes one)."""
    session.config.stash[INSTANCE_EXISTED] = CHECKOUT_INSTANCE.exists()


def pytest_sessionfinish(session, exitstatus):
    """Stop the shared node; fail a run that wrote a journal or secret key into the checkout."""
    if not hasattr(session.config, "workerinput"):
        stop_node(session.config)
    if CHECKOUT_INSTANCE.exists() and not session.config.stash[INSTANCE_EXISTED]:
        print(f"\nA test wrote {CHECKOUT_INSTANCE}: give it a DATA_DIR under tmp_path.", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
