"""Peak memory and time of the exports for statistics at 100,000 answers (embedded mode, 3 codes
on 30% of the answers): XLSX is written row by row, .sav and .dta through one pandas DataFrame,
and the CSV stream for comparison. Each format runs in a fresh process, so ru_maxrss is its own.
Run: python -m bench.stats_export
"""
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

from collector import create_app
from collector.analyst import export_and_erase
from collector.coding import stores
from collector.search.query import Query

ANSWERS = int(os.environ.get("BENCH_ANSWERS", "100000"))
WORDS = "deploy pipeline review release tooling support onboarding cache latency docs".split()


def build(data_dir):
    """An embedded app with ANSWERS answers of 30 words, 30% of them coded with one of three codes."""
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "bench"})
    rnd, start = random.Random(7), datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [(f"00000000-0000-4000-8000-{n:012d}", " ".join(rnd.choices(WORDS, k=30)), f"r{n % 977}@example.org",
             (start + timedelta(seconds=n)).isoformat(timespec="microseconds")) for n in range(ANSWERS)]
    with sqlite3.connect(app.config["JOURNAL_PATH"]) as db:
        db.executemany("INSERT INTO responses (id, essay, email, submitted_at, state) VALUES (?, ?, ?, ?, 'shipped')",
                       rows)
    with app.test_request_context():
        for n, name in enumerate(("Deploys", "Support", "Latency")):
            code = stores.current().create_code(name, "", "bench")
            stores.current().apply(code, [row[0] for row in rows[n::10]], "bench", [])
    return app


def measure(fmt, data_dir, traced):
    """One format's figures, in this process: its time, or (traced) its peak memory."""
    app = build(data_dir)
    path = os.path.join(data_dir, f"out.{fmt}")
    with app.test_request_context():
        if traced:  # every allocation counted (numpy's too): slower, so timed in a run without it
            tracemalloc.start()
        started = time.perf_counter()
        export_and_erase.write_stats_file(fmt, Query(per_page=20), "bench", "all", path=path)
        seconds = time.perf_counter() - started
        figures = {"peak_traced_mb": round(tracemalloc.get_traced_memory()[1] / 1e6, 1)} if traced else {
            "seconds": round(seconds, 1), "file_mb": round(os.path.getsize(path) / 1e6, 1)}
    return {"format": fmt, "answers": ANSWERS, **figures}


def main():
    """Each format in a fresh process; one JSON line each."""
    if len(sys.argv) > 2:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(measure(sys.argv[1], folder, sys.argv[2] == "traced")), flush=True)
        return 0
    for fmt in ("xlsx", "sav", "dta"):
        for how in ("timed", "traced"):
            subprocess.run([sys.executable, "-m", "bench.stats_export", fmt, how], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
