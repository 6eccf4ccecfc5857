"""What the fleet workspace adds to an analyst request in search mode, on the real node.

The same app and 2,000 shipped answers; p50/p95 of an analyst JSON page, the codebook page and the
coding action, with sessions and the codebook in this instance's journal (how it was before the
workspace), in the domain with the session read through the 2-second cache (the default), and in
the domain with the session read on every request (no cache: the worst case).
Run: python -m bench.workspace_cost
"""
import json
import os
import statistics
import sys
import tempfile
import time

from bench import analyst, servers
from collector import create_app, journal, workspace
from collector.coding.stores import CODING, JournalCoding
from collector.search import engines
from collector.shipping import shipper
from collector.workspace.local import LocalWorkspace
from tests.helpers import store

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
BEFORE = "journal: sessions and codebook (before)"


def build_app(url, data_dir, check_seconds):
    """A search-mode app on the node with 2,000 shipped answers and the code 'bench'."""
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False,
                      "WTF_CSRF_ENABLED": False, "SESSION_CHECK_SECONDS": check_seconds,
                      "ANALYSTS": analyst.analysts_setting(), **servers.search_env(url)})
    ids = [store(app, f"answer {n} about onboarding and the vpn", state="pending") for n in range(2000)]
    with app.app_context():
        shipper.SHIPPER.of(app).drain(journal.get_db(), time.time() + 300)
        engines.SEARCH.of(app).settle()
    return app, ids


def percentiles(call):
    """(p50, p95) in milliseconds over REQUESTS calls, after 20 to warm up."""
    for _ in range(20):
        call()
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=20)
    return round(statistics.median(times), 1), round(cuts[18], 1)


def measure(app, ids, variant):
    """p50/p95 of a search page's JSON and of coding one answer, for one way of checking sessions."""
    if variant == BEFORE:
        workspace.WORKSPACE.put(app, LocalWorkspace(app))
        CODING.put(app, JournalCoding())
    client = app.test_client()
    client.post("/analyst/login", data={"name": "bench", "password": analyst.PASSWORD})
    client.post("/analyst/api/codes", json={"name": "bench"})
    assert all(client.get(url).status_code == 200 for url in ("/analyst/api/search?q=vpn", "/analyst/codes"))
    pages = percentiles(lambda: client.get("/analyst/api/search?q=vpn"))
    codebook = percentiles(lambda: client.get("/analyst/codes"))
    turn = iter(range(10**6))
    coding = percentiles(lambda: client.post(f"/analyst/api/responses/{ids[next(turn) % len(ids)]}/codes",
                                             json={"add": ["bench"]}))
    return {"variant": variant, "search_page_ms": pages, "codebook_page_ms": codebook, "coding_action_ms": coding}


def main():
    """Print one JSON line per variant: (p50, p95) milliseconds."""
    variants = [(BEFORE, 2), ("domain: sessions (2 s cache) and codebook", 2), ("domain, no session cache", 0)]
    with servers.domain() as (url, _node):
        os.environ.update(servers.search_env(url))  # the signing keys are read from the environment
        for round_ in (1, 2):  # the first round also warms the node up: compare within round 2
            for variant, seconds in variants:
                with tempfile.TemporaryDirectory() as data_dir:
                    app, ids = build_app(url, data_dir, seconds)
                    print(json.dumps({"round": round_, **measure(app, ids, variant)}), flush=True)
                es = app.extensions["opensearch"][1]
                es.indices.delete(index=f"{app.config['SEARCH_INDEX']}*", expand_wildcards="all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
