"""Suggestions at 100,000 answers and 20 codes (embedded mode, this 2-core machine): how long gathering,
training and scoring take per code, the training process's peak memory, and what training does to
respondents: submit p50/p99 at a steady rate, without training and while the 20 models train in the
background of the same gunicorn.
Run: python -m bench.suggestions   (BENCH_ANSWERS, BENCH_CODES, BENCH_RATE change the sizes)
"""
import json
import os
import random
import shutil
import sqlite3
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench import analyst, load, servers
from bench.corpus import vocabulary
from collector import create_app
from collector.coding import stores
from collector.suggestions import model, training

ANSWERS, CODES = int(os.environ.get("BENCH_ANSWERS", "100000")), int(os.environ.get("BENCH_CODES", "20"))
CODED, RATE, SECONDS = 200, int(os.environ.get("BENCH_RATE", "20")), 20


def build(data_dir):
    """ANSWERS answers, each about one of CODES topics (topic words among common ones); CODED of each topic coded."""
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "bench", "ANALYSTS": analyst.analysts_setting()})
    rnd, words, start = random.Random(3), vocabulary(tail=5000), datetime(2026, 1, 1, tzinfo=timezone.utc)
    topics = [rnd.sample(words[200:], 8) for _ in range(CODES)]
    rows, by_topic = [], [[] for _ in range(CODES)]
    for n in range(ANSWERS):
        topic, answer_id = n % CODES, f"00000000-0000-4000-8000-{n:012d}"
        text = rnd.choices(words[:200], k=20) + rnd.choices(topics[topic], k=4) + rnd.choices(words[200:], k=4)
        rnd.shuffle(text)
        rows.append((answer_id, " ".join(text), f"r{n % 977}@example.org",
                     (start + timedelta(seconds=n)).isoformat(timespec="microseconds")))
        by_topic[topic].append(answer_id)
    with sqlite3.connect(app.config["JOURNAL_PATH"]) as db:
        db.executemany("INSERT INTO responses (id, essay, email, submitted_at, state) VALUES (?, ?, ?, ?, 'shipped')",
                       rows)
    with app.test_request_context():
        for topic in range(CODES):
            code = stores.current().create_code(f"Topic {topic}", "", "bench")
            stores.current().apply(code, by_topic[topic][:CODED], "bench", [])
    return app


def train_all(app):
    """Each code trained in this process's spawned training process, timed; the process's peak memory."""
    timings = []
    with app.test_request_context():
        codebook = stores.current().codebook()
        for code in codebook:
            started = time.perf_counter()
            examples = training.examples(code, [c["name"] for c in codebook if c["id"] != code["id"]])
            chunks = list(training.candidates(code, set(examples[0])))
            gathered = (*examples, [i for chunk in chunks for i, _ in chunk], [t for chunk in chunks for _, t in chunk])
            gathered_at = time.perf_counter()
            result = training.pool().submit(model.train_and_score, *gathered).result()
            timings.append({"gather_s": gathered_at - started, "train_and_score_s": time.perf_counter() - gathered_at,
                            "examples": len(gathered[0]), "scored": len(gathered[3]), "f1": result["f1"]})
    worker = next(iter(training.pool()._processes))  # the one training process
    peak = int(next(line for line in Path(f"/proc/{worker}/status").read_text().splitlines()
                    if line.startswith("VmHWM")).split()[1]) / 1024
    return timings, round(peak, 1)


def submits_while(url, busy=None):
    """Submit p50/p99 at RATE per second for SECONDS, and an analyst's dashboard p50/p99 meanwhile,
    with busy() started first (if given)."""
    if busy:
        threading.Thread(target=busy, daemon=True).start()
        time.sleep(2)  # the first trainings are under way
    pages = []
    threading.Thread(target=dashboards, args=(url, pages), daemon=True).start()
    return {"submit": load.run_rate(url, RATE, SECONDS), "dashboard": load.summary(pages, SECONDS, 0)}


def dashboards(url, latencies, every=0.25):
    """An analyst opening the dashboard of a search four times a second, for SECONDS."""
    session, deadline = analyst.logged_in(url), time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        started = time.perf_counter()
        session.get(f"{url}/analyst/?q=release")
        latencies.append(time.perf_counter() - started)
        time.sleep(max(0.0, every - (time.perf_counter() - started)))


def train_through_http(url, names):
    """What an analyst does: open each code's suggestions (each starts its training in the background)."""
    session = analyst.logged_in(url)
    for name in names:
        session.get(f"{url}/analyst/api/codes/{name}/suggestions")


def models_ready(url, names):
    """How many codes have a model by now (asked of the gunicorn that trained them)."""
    session = analyst.logged_in(url)
    return sum(session.get(f"{url}/analyst/api/codes/{name}/suggestions").json()["model"] is not None
               for name in names)


def main():
    """One JSON document with every figure."""
    with tempfile.TemporaryDirectory() as folder:
        app = build(folder)
        timings, peak = train_all(app)
        names = [f"Topic {n}" for n in range(CODES)]
        shutil.rmtree(Path(folder) / "models", ignore_errors=True)  # the workers must train, not read train_all's
        with servers.gunicorn(folder, ANALYSTS=analyst.analysts_setting()) as (url, _pid):
            quiet = submits_while(url)
            busy = submits_while(url, lambda: train_through_http(url, names))
            ready = models_ready(url, names)
    total = {key: round(sum(t[key] for t in timings), 1) for key in ("gather_s", "train_and_score_s")}
    print(json.dumps({"answers": ANSWERS, "codes": CODES, "coded_per_code": CODED, "per_code": {
        key: round(total[key] / CODES, 2) for key in total}, "all_codes": total, "training_process_peak_rss_mb": peak,
        "min_f1": min(t["f1"] for t in timings), "submit_rate_per_s": RATE, "without_training": quiet,
        "while_training": busy, "models_ready_when_the_run_ended": ready}, indent=2))


if __name__ == "__main__":
    main()
