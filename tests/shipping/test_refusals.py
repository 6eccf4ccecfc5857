"""What an access policy refuses (403) is said once, in words an operator can act on, and retried
ever more slowly; nothing is lost and nothing crashes."""
import logging
import time

import pytest

from collector import create_app, journal
from collector.shipping.shipper import SHIPPER
from tests.helpers import drain, store


@pytest.mark.parametrize("service, grant", [("es", "es:ESHttpPost"), ("aoss", "aoss:DescribeCollectionItems")])
def test_init_index_refused_alias_calls_name_the_missing_grant(search_config, domain, service, grant):
    domain.service = service
    domain.refuse(r"/_alias")
    result = create_app(dict(search_config, SEARCH_SERVICE=service)).test_cli_runner().invoke(args=["init-index"])
    assert result.exit_code == 1 and "answered 403" in result.output and grant in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # a message, not a traceback


def test_a_shipper_refused_by_the_policy_backs_off_and_ships_once_it_is_fixed(search_app, domain, caplog):
    domain.refuse(r"/_alias")
    ids = {store(search_app, f"waiting for a fixed policy {n}", state="pending") for n in range(3)}
    shipper = SHIPPER.of(search_app)
    pauses = []
    with search_app.app_context(), caplog.at_level(logging.ERROR, logger="shipper"):
        for _ in range(4):
            assert shipper.ship_once(journal.get_db(), ignore_backoff=True).error.startswith("403")
            pauses.append(shipper.sender.paused_until - time.time())
    # said once, not per pass
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "es:ESHttpPost" in caplog.records[0].message and pauses[-1] > pauses[0]
    assert search_app.test_client().get("/healthz").json["journal_backlog"] == 3
    domain.switches.refused.clear()  # the operator fixed the policy
    assert drain(search_app).shipped == 3 and set(domain.docs()) == ids
