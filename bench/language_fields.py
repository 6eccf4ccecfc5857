"""What the German and French sub-fields cost the shipper: the same 20,000 corpus answers shipped into the
real node by one shipper, into an index with every text field's `.de` and `.fr` and into one without
them, alternating, RUNS times each; docs/s and the index's size on disk. Writes
bench/data/language-fields.json. Run: .venv/bin/python -m bench.language_fields"""
import json
import sqlite3
import statistics
import urllib.request

import models
from bench import realnode, servers
from bench.run import CORPUS, DATA

ANSWERS, RUNS = 20_000, 3


def pending_copy(name):
    """The corpus journal with its first ANSWERS answers pending and the rest counted as shipped."""
    target = realnode.search_mode_copy(CORPUS, DATA / name)
    with sqlite3.connect(target / "journal.sqlite3") as db:
        db.execute("UPDATE responses SET state = 'shipped' WHERE seq > (SELECT min(seq) + ? FROM responses)",
                   (ANSWERS - 1,))
    return target


def one_run(url, node, languages):
    """Ship ANSWERS into a fresh index (with or without the language sub-fields); (docs/s, store MB)."""
    models.LANGUAGE_ANALYZERS = languages  # text_field() reads it when the mapping is made
    with urllib.request.urlopen(urllib.request.Request(node.url + "/survey-responses*", method="DELETE")):
        pass
    _, shipped = realnode.ship_corpus(pending_copy("language-fields"), url)
    with urllib.request.urlopen(node.url + "/survey-responses/_stats/store") as response:
        size = json.load(response)["_all"]["primaries"]["store"]["size_in_bytes"]
    return shipped["docs_per_s"], round(size / 2**20, 1)


def main():
    """Alternate the two mappings on one node; print and keep the medians."""
    with_languages, results = dict(models.LANGUAGE_ANALYZERS), {"with": [], "without": []}
    with servers.domain() as (url, node):
        for _ in range(RUNS):
            results["with"].append(one_run(url, node, with_languages))
            results["without"].append(one_run(url, node, {}))
    summary = {name: {"docs_per_s": [r[0] for r in runs], "median_docs_per_s": statistics.median(r[0] for r in runs),
                      "store_mb": runs[-1][1]} for name, runs in results.items()}
    summary["answers"] = ANSWERS
    (DATA / "language-fields.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
