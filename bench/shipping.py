"""P3 and P4 side by side on one real node (issue 41 #5). P3: one shipper's docs/s into our mapping,
signed through the front door and straight into the node, against the node's own rate for the same
documents with one plain english field, loaded by opensearch-py's parallel_bulk straight into the
node (the machine's ceiling); they alternate, RUNS times each after a round that warms the node up.
P4: 100k answers shipped by one shipper, then every query class through the OpenSearch engine,
p50/p95. Writes bench/data/shipping.json. Run: .venv/bin/python -m bench.shipping
(BENCH_ANSWERS=20000 for a quicker P4)."""
import json
import os
import shutil
import statistics
import time
import urllib.request

from opensearchpy import OpenSearch, helpers

from bench import inprocess, servers
from bench.run import DATA
from collector import create_app, journal
from collector.journal import connect
from collector.search import engines
from collector.shipping import shipper
from models import to_index

ANSWERS = 20_000
RUNS = int(os.environ.get("BENCH_RUNS", "5"))  # after one round not counted: the node's JIT warms up over it
P4_ANSWERS = int(os.environ.get("BENCH_ANSWERS", "100000"))
CEILING = {"settings": {"number_of_shards": 1},
           "mappings": {"dynamic": False, "properties": {"essay": {"type": "text", "analyzer": "english"}}}}


def search_app(data_dir, url, signed=True):
    """A search-mode app over data_dir, its shipper started by hand, the index made: through the front door
    (signed), or straight to the node (the door's work left out, as AWS does it on its own machines)."""
    settings = servers.search_env(url) if signed else {**servers.search_env(url), "SEARCH_AUTH": "none"}
    os.environ.update(settings)
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False,
                      "SURVEYS_FILE": str(inprocess.SURVEYS_FILE), **settings})
    assert app.test_cli_runner().invoke(args=["init-index"]).exit_code == 0
    return app


def pending_journal(name, count, url, coded=False):
    """A fresh data dir whose journal holds `count` generated answers, every one pending."""
    target = DATA / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    create_app({"DATA_DIR": str(target), "SECRET_KEY": "bench", "SEARCH_URL": None,
                "SURVEYS_FILE": str(inprocess.SURVEYS_FILE)})  # makes the journal's tables
    inprocess.fill_journal(target / "journal.sqlite3", count, "pending", seed=9, coded=coded)
    return target


def documents(data_dir):
    """The journal's answers as the shipper sends them: (id, source in the index's form)."""
    db = connect(str(data_dir / "journal.sqlite3"))
    try:
        return [(row["id"], to_index(journal.to_document(row).to_dict())) for row in db.execute("SELECT * FROM responses")]
    finally:
        db.close()


def drop_indices(node):
    """Delete every index the runs made."""
    for pattern in ("survey-responses*", "ceiling"):
        request = urllib.request.Request(f"{node.url}/{pattern}?ignore_unavailable=true", method="DELETE")
        urllib.request.urlopen(request).close()


def ceiling_run(node, docs):
    """The node's own docs/s: the same documents, one english field, parallel_bulk (2 threads of 500)."""
    client = OpenSearch(node.url, timeout=120)
    client.indices.create(index="ceiling", body=CEILING)
    started = time.perf_counter()
    done = sum(ok for ok, _ in helpers.parallel_bulk(
        client, ({"_index": "ceiling", "_id": doc_id, "_source": source} for doc_id, source in docs),
        thread_count=2, chunk_size=500))
    return round(done / (time.perf_counter() - started))


def shipper_run(url, source_dir, signed=True):
    """One shipper's docs/s from a copy of the pending journal into our mapping."""
    target = DATA / "p3-ship"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source_dir, target)
    app = search_app(target, url, signed)
    db = connect(app.config["JOURNAL_PATH"])
    started = time.perf_counter()
    outcome = shipper.SHIPPER.of(app).drain(db, time.time() + 1800)
    elapsed = time.perf_counter() - started
    db.close()
    assert outcome.shipped == ANSWERS and not outcome.dead, outcome
    return round(outcome.shipped / elapsed)


def p3(url, node):
    """Ceiling and shipper alternating, RUNS each; medians and their ratio."""
    source = pending_journal("p3-journal", ANSWERS, url)
    docs = documents(source)
    runs = {"ceiling": [], "shipper_signed": [], "shipper_straight": []}
    for _ in range(RUNS + 1):
        drop_indices(node)
        runs["ceiling"].append(ceiling_run(node, docs))
        drop_indices(node)
        runs["shipper_signed"].append(shipper_run(url, source))
        drop_indices(node)
        runs["shipper_straight"].append(shipper_run(node.url, source, signed=False))
    runs = {name: values[1:] for name, values in runs.items()}  # the warm-up round goes
    medians = {name: statistics.median(values) for name, values in runs.items()}
    return {"answers": ANSWERS, "docs_per_s": runs, "median_docs_per_s": medians,
            "ratio_signed": round(medians["shipper_signed"] / medians["ceiling"], 2),
            "ratio_straight": round(medians["shipper_straight"] / medians["ceiling"], 2)}


def p4(url, node):
    """P4_ANSWERS answers shipped by one shipper (docs/s), then every query class's latency on the node."""
    drop_indices(node)
    app = search_app(pending_journal("p4-journal", P4_ANSWERS, url, coded=True), url)
    db = connect(app.config["JOURNAL_PATH"])
    started = time.perf_counter()
    outcome = shipper.SHIPPER.of(app).drain(db, time.time() + 3600)
    shipped = {"documents": outcome.shipped, "docs_per_s": round(outcome.shipped / (time.perf_counter() - started))}
    db.close()
    migrated = app.test_cli_runner().invoke(args=["workspace", "migrate"])  # the codebook and codings, for code=
    assert migrated.exit_code == 0, migrated.output
    with app.app_context():
        engines.SEARCH.of(app).settle()
    return {"shipped": shipped, "queries": inprocess.time_queries(app), "node": servers.node_memory(node)}


def main():
    """Both, on one node; print and keep the figures."""
    with servers.domain() as (url, node):
        results = {"P3": p3(url, node), "P4": p4(url, node)}
    (DATA / "shipping.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
