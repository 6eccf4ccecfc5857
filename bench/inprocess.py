"""Benchmarks that run inside this process: P3 shipper throughput, P4 embedded search latency."""
import json
import os
import random
import sqlite3
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from werkzeug.datastructures import MultiDict

from bench.corpus import CONTENT, EssayGenerator
from bench.servers import search_env
from collector import create_app, journal
from collector.journal import connect
from collector.search import engines
from collector.search.params import parse_args, query_of
from collector.search.query import PREFIXES_MAX
from collector.shipping import shipper

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
SPACING = 37  # seconds between generated answers: 100k answers span 43 days
COLUMNS = "id, essay, email, client_ip, submitted_at, is_spam, spam_score, tags, user_agent, state, survey, answers"
ROLES = ("Engineer", "Designer", "Manager", "Other")
SURVEYS_FILE = Path(__file__).resolve().parent / "surveys.yaml"
# A codebook as analysts leave it: one code on a quarter of the answers, one on 2%.
CODINGS = ("INSERT INTO codes (id, name, created_by, created_at) VALUES (1, 'billing', 'bench', '2026-01-01'), "
           "(2, 'onboarding', 'bench', '2026-01-01');"
           "INSERT INTO codings (response_id, code_id, by, at) SELECT id, 1, 'bench', '2026-02-01' FROM responses "
           "WHERE seq % 4 = 1;"
           "INSERT INTO codings (response_id, code_id, by, at) SELECT id, 2, 'bench', '2026-02-01' FROM responses "
           "WHERE seq % 50 = 3;")


def fill_journal(path, count, state, seed=42, coded=False):
    """Insert `count` generated answers to bench/surveys.yaml straight into a journal, in large transactions."""
    generator, rnd = EssayGenerator(seed), random.Random(seed)
    db = sqlite3.connect(path)
    for start in range(0, count, 5000):
        rows = [(str(uuid.UUID(int=rnd.getrandbits(128), version=4)), generator.essay(), f"r{n % 5000}@example.org",
                 f"10.0.{n % 250}.{n % 200}", (T0 + timedelta(seconds=SPACING * n)).isoformat(timespec="microseconds"),
                 int(n % 20 == 0), 0.9 if n % 20 == 0 else 0.1, '["v1"]', "bench", state, "feedback",
                 json.dumps({"essay": True, "role": ROLES[n % 4], "satisfaction": 1 + n % 5}))
                for n in range(start, min(count, start + 5000))]
        with db:
            db.executemany(f"INSERT INTO responses ({COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
    if coded:
        db.executescript(CODINGS)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _percentiles(samples):
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(0.95 * len(ordered))] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "queries": len(ordered)}


def _week(rnd):
    start = (T0 + timedelta(days=rnd.randint(0, 35))).date()
    return {"from": start.isoformat(), "to": (start + timedelta(days=6)).isoformat()}


def query_mix(count=100, seed=3):
    """{query class: [search parameters]}: what analysts type, alone and with every kind of filter."""
    rnd, generator = random.Random(seed), EssayGenerator(seed=7)

    def word():
        return rnd.choice(CONTENT)

    def phrase():
        while True:
            words = generator.essay().lower().replace(".", "").split()
            i = rnd.randrange(len(words) - 1)
            if words[i] in CONTENT or words[i + 1] in CONTENT:
                return f'"{words[i]} {words[i + 1]}"'

    kinds = {
        "word": lambda: {"q": word()},
        "two_words": lambda: {"q": f"{word()} {word()}"},
        "phrase": lambda: {"q": phrase()},
        "prefix": lambda: {"q": f"{word()[:rnd.randint(3, 5)]}*"},
        "four_prefixes": lambda: {"q": " ".join(f"{word()[:3]}*" for _ in range(PREFIXES_MAX))},
        "word_and_prefix": lambda: {"q": f"{word()} {word()[:3]}*"},
        "word_one_week": lambda: {"q": word(), **_week(rnd)},
        "word_not_spam": lambda: {"q": word(), "spam": "exclude"},
        "word_spam_only": lambda: {"q": word(), "spam": "only"},
        "word_email": lambda: {"q": word(), "email": f"r{rnd.randrange(5000)}@example.org"},
        "word_email_domain": lambda: {"q": word(), "email": "@example.org"},
        "word_survey": lambda: {"q": word(), "survey": "feedback"},
        "word_choice": lambda: {"q": word(), "survey": "feedback", "f.role": rnd.choice(ROLES)},
        "word_code": lambda: {"q": word(), "code": rnd.choice(["billing", "onboarding"])},
        "one_week": lambda: _week(rnd),
        "everything": lambda: {},
    }
    return {kind: [make() for _ in range(count)] for kind, make in kinds.items()}


def corpus_app(data_dir, count=100_000):
    """An embedded-mode app over `count` generated, partly coded answers (built once, then reused)."""
    settings = {"DATA_DIR": str(data_dir), "SEARCH_URL": None, "SECRET_KEY": "bench", "SURVEYS_FILE": str(SURVEYS_FILE)}
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    path = app.config["JOURNAL_PATH"]
    if sqlite3.connect(path).execute("SELECT count(*) FROM responses").fetchone()[0] != count:
        for stale in Path(data_dir).glob("journal.sqlite3*"):
            stale.unlink()
        app = create_app(settings)
        fill_journal(path, count, "shipped", coded=True)
    with app.test_request_context():
        engines.current().search(parse_args({"q": "warm up"}))  # indexes what is queued, once
    return app


def time_queries(app, per_class=100):
    """{query class: p50/p95/max ms} of searches through the app's engine (either), with highlights."""
    results = {}
    with app.test_request_context():
        for kind, mix in query_mix(per_class).items():
            samples = []
            for params in mix:
                started = time.perf_counter()
                page = engines.current().search(query_of(MultiDict(params), per_page=20))
                assert page.total == 0 or page.hits[0].highlight is not None
                samples.append(time.perf_counter() - started)
            results[kind] = _percentiles(samples)
    return results


def search_latency(data_dir, count=100_000, per_class=100):
    """P4 in-process: p50/p95/max of each query class through the embedded engine, with highlights."""
    app = corpus_app(data_dir, count)
    results = time_queries(app, per_class)
    with app.app_context():  # the size at rest: after a checkpoint, not with a WAL of the last catch-up
        journal.get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(p.stat().st_size for p in Path(data_dir).glob("journal.sqlite3*"))
    results["database_mb"] = round(size / 1e6, 1)
    results["essays"] = count
    return results


def shipper_throughput(data_dir, url, count=20_000):
    """P3: signed documents per second one shipper moves from the journal into the real node."""
    os.environ.update(search_env(url))
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False,
                      "SURVEYS_FILE": str(SURVEYS_FILE), **search_env(url)})
    fill_journal(app.config["JOURNAL_PATH"], count, "pending", seed=9)
    db = connect(app.config["JOURNAL_PATH"])
    started = time.perf_counter()
    outcome = shipper.SHIPPER.of(app).drain(db, time.time() + 300)
    elapsed = time.perf_counter() - started
    return {"documents": outcome.shipped, "seconds": round(elapsed, 2), "docs_per_s": round(outcome.shipped / elapsed),
            "dead": outcome.dead}
