"""P3 and P4 on the real engine: the 100k corpus shipped into an OpenSearch 2.19 node (through the
SigV4 front door), then the same query classes in-process and the dashboard pages over HTTP in
search mode, to set beside the embedded engine's figures; and the node's heap and RSS."""
import os
import shutil
import sqlite3
import time

from bench import analyst, inprocess, servers
from collector import create_app
from collector.journal import connect
from collector.search import engines
from collector.shipping import shipper


def search_mode_copy(corpus, target):
    """The corpus journal, copied, with every answer pending again (as after `ship --all`)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    sqlite3.connect(corpus / "journal.sqlite3").execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    shutil.copy(corpus / "journal.sqlite3", target / "journal.sqlite3")
    with sqlite3.connect(target / "journal.sqlite3") as db:
        db.execute("UPDATE responses SET state = 'pending', attempts = 0, next_attempt = 0, claimed_until = 0")
    return target


def ship_corpus(target, url):
    """(search-mode app, P3 figures): one shipper drains the whole corpus into the node."""
    os.environ.update(servers.search_env(url))
    app = create_app({"DATA_DIR": str(target), "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False,
                      "SURVEYS_FILE": str(inprocess.SURVEYS_FILE), **servers.search_env(url)})
    assert app.test_cli_runner().invoke(args=["init-index"]).exit_code == 0
    db = connect(app.config["JOURNAL_PATH"])
    started = time.perf_counter()
    outcome = shipper.SHIPPER.of(app).drain(db, time.time() + 1800)
    elapsed = time.perf_counter() - started
    with app.app_context():
        engines.SEARCH.of(app).settle()
    return app, {"documents": outcome.shipped, "seconds": round(elapsed, 1),
                 "docs_per_s": round(outcome.shipped / elapsed), "dead": outcome.dead}


def run(corpus, target, per_class=100, pages_per_class=30):
    """Everything measured on one node: shipping, queries in-process, dashboard pages, memory."""
    with servers.domain() as (url, node):
        app, shipped = ship_corpus(search_mode_copy(corpus, target), url)
        queries = inprocess.time_queries(app, per_class)
        settings = {**servers.search_env(url), "ANALYSTS": analyst.analysts_setting(),
                    "SURVEYS_FILE": str(inprocess.SURVEYS_FILE)}
        with servers.gunicorn(target, **settings) as (site, _):
            pages = analyst.dashboard_latency(site, inprocess.query_mix(pages_per_class), pages_per_class)
        memory = servers.node_memory(node)
    return {"P3_100k": shipped, "P4": queries, "P4_http": pages, "node": memory}
