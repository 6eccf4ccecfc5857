"""Themes over 5,000 long answers (embedded mode, in process, this 2-core machine): how long one request
for k=20 takes, and each of four sent at once, with the bounds of collector/suggestions/themes.py.
Run: python -m bench.themes   (BENCH_ANSWERS changes the size)
"""
import json
import os
import random
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from bench import analyst
from bench.corpus import vocabulary
from collector import create_app
from collector.suggestions import themes
from tests.helpers import log_in

ANSWERS = int(os.environ.get("BENCH_ANSWERS", "5000"))


def build(data_dir):
    """ANSWERS answers of 100 to 400 words: common words, and rarer ones from a 20,000-word tail."""
    app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "bench", "ANALYSTS": analyst.analysts_setting(),
                      "WTF_CSRF_ENABLED": False})  # in process: the test client logs in without a form
    rnd, words, start = random.Random(3), vocabulary(tail=20_000), datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = []
    for n in range(ANSWERS):
        length = rnd.randint(100, 400)
        text = rnd.choices(words[:200], k=length // 2) + rnd.choices(words[200:], k=length // 2)
        rows.append((f"00000000-0000-4000-8000-{n:012d}", " ".join(text), "",
                     (start + timedelta(seconds=n)).isoformat(timespec="microseconds")))
    with sqlite3.connect(app.config["JOURNAL_PATH"]) as db:
        db.executemany("INSERT INTO responses (id, essay, email, submitted_at, state) VALUES (?, ?, ?, ?, 'shipped')",
                       rows)
    return app


def timed_request(app):
    """(seconds, the response's JSON) of one analyst's GET /analyst/api/themes?k=20."""
    client = app.test_client()
    log_in(client, "bench", analyst.PASSWORD)
    started = time.perf_counter()
    response = client.get("/analyst/api/themes", query_string={"k": 20})
    return time.perf_counter() - started, response.status_code, response.get_json()


def main():
    """One JSON document with every figure."""
    with tempfile.TemporaryDirectory() as folder:
        app = build(folder)
        alone, status, found = timed_request(app)
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(lambda _: timed_request(app), range(4)))
    print(json.dumps({"answers": ANSWERS, "k": 20, "one_request_s": round(alone, 2), "status": status,
                      "grouping_s": found["seconds"], "terms": found["terms"], "converged": found["converged"],
                      "four_at_once_s": sorted(round(t, 2) for t, _, _ in together),
                      "four_at_once_status": sorted(s for _, s, _ in together),
                      "limits": found["limits"], "themes_limit_wait_s": themes.WAIT_SECONDS}, indent=2))


if __name__ == "__main__":
    main()
