"""GET /healthz: can we accept answers, and how far behind is the search index."""
import sqlite3

from flask import Blueprint, jsonify

from collector import journal
from collector.accounts.roles import public
from collector.common.extensions import talisman
from collector.journal import heartbeat
from collector.search import engines
from collector.shipping import shipper, spilling

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@talisman(force_https=False)  # the load balancer checks health over plain HTTP
@public
def healthz():
    """200 while answers can be accepted, 503 when the journal is not writable."""
    ok = heartbeat.writable()
    try:
        counts = journal.counts()
    except sqlite3.Error:
        counts = {"pending": None, "dead": None}
    body = {
        "status": "ok" if ok else "unavailable",
        "journal_backlog": counts["pending"],
        "dead_letters": counts["dead"],
        "search": engines.current().status(),
    }
    if spilling.configured():  # waiting in the spill store; null when the store does not answer
        body["spilled"] = spilling.waiting_count()
    worker_shipper = shipper.SHIPPER.find()  # none in embedded mode
    stuck = worker_shipper.stuck() if worker_shipper else None
    if stuck:  # this worker's answers no longer move: let the load balancer replace the instance
        body.update(status="unavailable", shipping=stuck)
    return jsonify(body), 200 if ok and not stuck else 503
