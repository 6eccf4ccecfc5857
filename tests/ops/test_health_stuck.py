"""Issue 30: /healthz turns 503 when this worker's shipping is stuck, not only when the disk is full;
an outage of the domain is not the instance's fault and keeps it healthy."""
import re

from collector import create_app
from collector.shipping import pulse
from collector.shipping.shipper import SHIP_STEPS, SHIPPER
from tests.helpers import store, wait_until


def failing_step(db):
    raise RuntimeError("a step that always fails")


def test_a_shipper_whose_passes_keep_failing_makes_the_instance_unhealthy_until_they_pass(search_config, clock):
    app = create_app(dict(search_config, SHIP_POLL_SECONDS=0.05))
    SHIP_STEPS.append(app, failing_step)
    shipper = SHIPPER.of(app)
    shipper.sender.paused_until = 0
    shipper.start()
    client = app.test_client()
    try:
        assert wait_until(lambda: client.get("/healthz").status_code == 503, timeout=30)
        body = client.get("/healthz").json
        assert body["status"] == "unavailable" and "RuntimeError" in body["shipping"]
        failed = re.search(r"the last (\d+) shipping passes failed", body["shipping"])
        assert failed and int(failed.group(1)) >= pulse.FAILURES_MAX
        SHIP_STEPS.of(app).remove(failing_step)
        assert wait_until(lambda: client.get("/healthz").status_code == 200, timeout=30)
    finally:
        shipper.stop()


def test_a_domain_outage_keeps_the_instance_healthy(search_config, domain):
    app = create_app(dict(search_config, SHIP_POLL_SECONDS=0.05))
    store(app, "waiting for the domain", state="pending")
    domain.switches.mode = "down"
    shipper = SHIPPER.of(app)
    shipper.start()
    try:
        assert wait_until(lambda: shipper.pulse.last is not None, timeout=10)
        response = app.test_client().get("/healthz")
        assert response.status_code == 200 and "shipping" not in response.json
    finally:
        shipper.stop()


def test_a_thread_that_stopped_ending_passes_is_stuck(search_config, clock):
    app = create_app(search_config)
    shipper = SHIPPER.of(app)
    shipper.pulse.beat()
    clock.advance(search_config.get("SHIP_STUCK_SECONDS", 300) + 1)
    assert "no shipping pass has ended" in (shipper.pulse.problem(running=True) or "")
    assert shipper.pulse.problem(running=False) is None  # a thread not started yet is not stuck
