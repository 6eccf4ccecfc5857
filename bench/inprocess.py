"""Benchmarks that run inside this process: P3 shipper throughput, P4 embedded search latency."""
import os
import random
import sqlite3
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.corpus import CONTENT, EssayGenerator
from bench.servers import search_env
from collector import create_app
from collector.journal import connect
from collector.search import engines
from collector.search.model import PREFIXES_MAX, Query

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
COLUMNS = "id, essay, email, client_ip, submitted_at, is_spam, spam_score, tags, user_agent, state"


def fill_journal(path, count, state, seed=42):
    """Insert `count` generated answers straight into a journal, in large transactions."""
    generator, rnd = EssayGenerator(seed), random.Random(seed)
    db = sqlite3.connect(path)
    for start in range(0, count, 5000):
        rows = [(str(uuid.UUID(int=rnd.getrandbits(128), version=4)), generator.essay(), f"r{n % 5000}@example.org",
                 f"10.0.{n % 250}.{n % 200}", (T0 + timedelta(seconds=37 * n)).isoformat(timespec="microseconds"),
                 int(n % 20 == 0), 0.9 if n % 20 == 0 else 0.1, '["v1"]', "bench", state)
                for n in range(start, min(count, start + 5000))]
        with db:
            db.executemany(f"INSERT INTO responses ({COLUMNS}) VALUES ({', '.join('?' * 10)})", rows)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _percentiles(samples):
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(0.95 * len(ordered))] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "queries": len(ordered)}


def _queries(rnd, count=200):
    """One-word, two-word and phrase queries an analyst would type (topic words, real bigrams)."""
    generator = EssayGenerator(seed=7)
    phrases = []
    while len(phrases) < count:
        words = generator.essay().lower().replace(".", "").split()
        i = rnd.randrange(len(words) - 1)
        if words[i] in CONTENT or words[i + 1] in CONTENT:
            phrases.append(f'"{words[i]} {words[i + 1]}"')
    return {"one_word": [rnd.choice(CONTENT) for _ in range(count)],
            "two_words": [f"{rnd.choice(CONTENT)} {rnd.choice(CONTENT)}" for _ in range(count)],
            "phrase": phrases,
            # The costliest prefixes allowed: the shortest (3 letters), and as many as a query may hold.
            "prefix": [f"{rnd.choice(CONTENT)[:rnd.randint(3, 5)]}*" for _ in range(count)],
            "four_short_prefixes": [" ".join(f"{rnd.choice(CONTENT)[:3]}*" for _ in range(PREFIXES_MAX))
                                    for _ in range(count // 4)],
            "word_and_prefix": [f"{rnd.choice(CONTENT)} {rnd.choice(CONTENT)[:3]}*" for _ in range(count // 4)]}


def search_latency(data_dir, count=100_000):
    """P4: p50/p95 of embedded searches with highlights over `count` generated essays."""
    data_dir = Path(data_dir)
    app = create_app({"DATA_DIR": str(data_dir), "SEARCH_URL": None, "SECRET_KEY": "bench"})
    path = app.config["JOURNAL_PATH"]
    if sqlite3.connect(path).execute("SELECT count(*) FROM responses").fetchone()[0] != count:
        Path(path).unlink()
        app = create_app({"DATA_DIR": str(data_dir), "SEARCH_URL": None, "SECRET_KEY": "bench"})
        fill_journal(path, count, "shipped")
    results, rnd = {}, random.Random(3)
    with app.test_request_context():
        engines.current().search(Query(q="warm up"))
        for kind, queries in _queries(rnd).items():
            samples = []
            for q in queries:
                started = time.perf_counter()
                page = engines.current().search(Query(q=q))
                assert page.total == 0 or str(page.hits[0].highlight)
                samples.append(time.perf_counter() - started)
            results[kind] = _percentiles(samples)
    size = sum(p.stat().st_size for p in data_dir.glob("journal.sqlite3*"))
    results["database_mb"] = round(size / 1e6, 1)
    results["essays"] = count
    return results


def shipper_throughput(data_dir, url, count=20_000):
    """P3: signed documents per second one shipper moves from the journal into the stand-in."""
    os.environ.update(search_env(url))
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False, **search_env(url)})
    fill_journal(app.config["JOURNAL_PATH"], count, "pending", seed=9)
    db = connect(app.config["JOURNAL_PATH"])
    started = time.perf_counter()
    outcome = app.extensions["shipper"].drain(db, time.time() + 300)
    elapsed = time.perf_counter() - started
    return {"documents": outcome.shipped, "seconds": round(elapsed, 2), "docs_per_s": round(outcome.shipped / elapsed),
            "dead": outcome.dead}
