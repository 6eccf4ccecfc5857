"""Erasure by email on OpenSearch Serverless, where what another instance shipped a moment ago is not
searchable yet: it looks again once the refresh interval has passed (the fake clock and a test timer
say when; the front door holds every write back until then)."""
from collector import create_app
from collector.analyst import erasure
from collector.common import clock as clock_module
from tests.analyst.test_erasure import EMAIL, shipped_unsearchable
from tests.helpers import log_in


def test_on_serverless_erasure_by_email_looks_again_after_the_refresh_interval(search_config, domain, tmp_path,
                                                                               clock, monkeypatch):
    domain.serverless()  # nothing written is searchable until the refresh interval has passed
    config = dict(search_config, SEARCH_SERVICE="aoss", SEARCH_REFRESH_SECONDS=60)
    other = create_app(dict(config, DATA_DIR=str(tmp_path / "other")))
    doc_id = shipped_unsearchable(other, domain, "shipped a moment ago on serverless")
    monkeypatch.setattr(clock_module, "sleep", lambda seconds: (domain.make_visible(), clock.sleep(seconds)))
    result = create_app(config).test_cli_runner().invoke(args=["erase", "--email", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased 0 answers." in result.output and "Looked again: erased 1 more." in result.output
    assert doc_id not in domain.docs()


class Later:
    """threading.Timer for a test: what it would run later runs when the test says the time has come."""

    started = []

    def __init__(self, seconds, function):
        self.seconds, self.function, self.daemon = seconds, function, False

    def start(self):
        Later.started.append(self)


def test_the_analyst_page_erases_what_serverless_makes_searchable_later(search_config, domain, tmp_path,
                                                                        monkeypatch):
    domain.serverless()
    config = dict(search_config, SEARCH_SERVICE="aoss", SEARCH_REFRESH_SECONDS=60)
    other = create_app(dict(config, DATA_DIR=str(tmp_path / "other")))
    doc_id = shipped_unsearchable(other, domain, "shipped a moment ago, erased from the page")
    monkeypatch.setattr(Later, "started", [])
    monkeypatch.setattr(erasure.threading, "Timer", Later)
    client = create_app(config).test_client()
    log_in(client)
    page = client.post("/analyst/erase", data={"email": EMAIL, "confirm": "yes"}, follow_redirects=True)
    assert "searched again then" in page.get_data(as_text=True)
    [later] = Later.started
    assert later.seconds == 60
    domain.make_visible()  # the interval has passed
    later.function()
    assert doc_id not in domain.docs()
