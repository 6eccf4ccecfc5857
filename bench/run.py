"""make bench: P1-P5 measured side by side in one run; prints a table, writes bench/results.json."""
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
import urllib.request
from pathlib import Path

from bench import analyst, inprocess, load, realnode, servers, wrk
from bench.corpus import EssayGenerator
from bench.report import table

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ANSWERS = int(os.environ.get("BENCH_ANSWERS", "100000"))  # fewer only to try the benchmark out
CORPUS = DATA / f"corpus-{ANSWERS // 1000}k"
# 8 connections = gunicorn's 2 workers x 4 threads: more would only queue in the backlog.
CONNECTIONS, SECONDS = int(os.environ.get("BENCH_CONNECTIONS", "8")), float(os.environ.get("BENCH_SECONDS", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MIN_REQUESTS = int(os.environ.get("BENCH_MIN_REQUESTS", "5000"))  # per point: p99 then rests on 50+ requests


def fresh(name):
    """An empty data dir for one run."""
    path = DATA / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def essays():
    """Realistic essays for the open-loop generator, unique per user and request."""
    texts = [EssayGenerator(seed=11).essay() for _ in range(200)]
    return lambda user, n: f"{texts[(user * 31 + n) % len(texts)]} ({user}-{n})"


def long_enough(rps):
    """Seconds a run at `rps` needs to reach MIN_REQUESTS (at least SECONDS)."""
    return max(SECONDS, round(1.2 * MIN_REQUESTS / max(rps, 1)))


def p1_round(url, words, submit_seconds):
    """The trivial endpoints and then submits, back to back in one server."""
    robots = wrk.run(url, "/robots.txt", long_enough(2000), CONNECTIONS)
    health = wrk.run(url, "/healthz", long_enough(1000), CONNECTIONS)
    submit = wrk.run(url, seconds=submit_seconds, connections=CONNECTIONS, submit_words=words)
    return {"robots": robots, "healthz": health, "submit": submit,
            "ratio_to_robots": round(submit["rps"] / robots["rps"], 3),
            "ratio_to_healthz": round(submit["rps"] / health["rps"], 3)}


def p1():
    """P1: submits against /robots.txt and /healthz with wrk, RUNS rounds; an open-loop point at half the max."""
    words = wrk.words_file(DATA)
    with servers.gunicorn(fresh("p1")) as (url, master):
        warm = wrk.run(url, seconds=3, connections=CONNECTIONS, submit_words=words)
        rounds = [p1_round(url, words, long_enough(warm["rps"])) for _ in range(RUNS)]
        rate = round(max(r["submit"]["rps"] for r in rounds) / 2)
        paced = load.run_rate(url, rate, long_enough(rate), essays())
        rss = servers.worker_peak_rss_mb(master)
    return {"rounds": rounds, "open_loop": {"rate": rate, **paced}, "worker_peak_rss_mb_after_submits": rss}


def drained(url, seconds=120):
    """Wait until the app's journal has nothing left to ship (/healthz journal_backlog 0)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        with urllib.request.urlopen(url + "/healthz") as response:
            if json.load(response).get("journal_backlog") in (0, None):
                return
        time.sleep(0.2)
    raise RuntimeError("the shipper did not drain the journal")


def p2_point(domain, domain_pid, name, app, words):
    """One design against the real node: throughput, and CPU ms per stored answer on both sides."""
    data = fresh(f"p2-{name}")
    servers.init_index(domain, data)
    with servers.gunicorn(data, app, **servers.search_env(domain)) as (url, master):
        warm = wrk.run(url, seconds=3, connections=CONNECTIONS, submit_words=words)
        drained(url)
        before = servers.cpu_seconds(master, domain_pid)
        result = wrk.run(url, seconds=long_enough(warm["rps"]), connections=CONNECTIONS, submit_words=words)
        drained(url)  # ours: the shipper's signed _bulk requests, and the domain's work on them, count too
        used = servers.cpu_seconds(master, domain_pid) - before
    return {**result, "cpu_ms_per_submit": round(used * 1000 / max(result["requests"], 1), 2)}


def p2():
    """P2: the tutorial's synchronous signed write vs our journal + shipper, domain at 0 and 20 ms."""
    out, words = {}, wrk.words_file(DATA)
    for latency in (0.0, 0.02):
        with servers.domain(latency) as (domain, node):
            for name, app in (("tutorial", "bench.tutorial_app:app"), ("ours", "application:application")):
                out[f"{name}_{int(latency * 1000)}ms"] = p2_point(domain, node.process.pid, name, app, words)
    for ms in (0, 20):
        out[f"rps_ratio_{ms}ms"] = round(out[f"ours_{ms}ms"]["rps"] / out[f"tutorial_{ms}ms"]["rps"], 2)
        out[f"cpu_ratio_{ms}ms"] = round(out[f"tutorial_{ms}ms"]["cpu_ms_per_submit"]
                                         / out[f"ours_{ms}ms"]["cpu_ms_per_submit"], 2)
    return out


def corpus_copy():
    """A copy of the 100k corpus that traffic may change (the corpus itself stays as built)."""
    target = fresh("p5")
    sqlite3.connect(CORPUS / "journal.sqlite3").execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    shutil.copy(CORPUS / "journal.sqlite3", target / "journal.sqlite3")
    return target


def p4_http_and_p5():
    """P4 over HTTP (the dashboard per query class), then P5: peak RSS after submits and analysts together."""
    settings = {"ANALYSTS": analyst.analysts_setting(), "SURVEYS_FILE": str(inprocess.SURVEYS_FILE)}
    mix = inprocess.query_mix(30)
    with servers.gunicorn(corpus_copy(), **settings) as (url, master):
        pages = analyst.dashboard_latency(url, mix)
        stop, thread, browsed = analyst.in_background(analyst.browse_while, url, mix)
        mixed = wrk.run(url, seconds=SECONDS, connections=CONNECTIONS, submit_words=wrk.words_file(DATA))
        stop.set()
        thread.join()
        rss = servers.worker_peak_rss_mb(master)
    return pages, {"worker_peak_rss_mb": rss, "submits": mixed["requests"], "dashboards": browsed.get("result")}


def calibration_ms():
    """A fixed pure-Python workload: runs on a noisy host compare only together with it."""
    started = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return round((time.perf_counter() - started) * 1000)


def machine():
    """What ran the benchmark."""
    return {"cores": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
            1), "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


def main():
    """Run everything, print the table, write bench/results.json."""
    started = time.time()
    results = {"machine": machine(), "connections": CONNECTIONS, "seconds_per_run": SECONDS, "runs": RUNS,
               "calibration_ms_before": calibration_ms()}
    steps = [("P4 in-process: every query class over 100k answers (the corpus is built once, then cached)",
              "P4", lambda: inprocess.search_latency(CORPUS, ANSWERS)),
             ("P4 over HTTP and P5: dashboards, then submits and dashboards together", "P4_P5", p4_http_and_p5),
             ("P1: submits vs /robots.txt and /healthz (wrk)", "P1", p1),
             ("P2: the tutorial's design vs ours, the real node at 0 and 20 ms", "P2", p2),
             ("P3 and P4 on the real node: the corpus shipped, then every query class and dashboard", "real",
              lambda: realnode.run(CORPUS, DATA / "p4-opensearch"))]
    for title, key, step in steps:
        print(title + "...", flush=True)
        results[key] = step()
    results["P4_http"], results["P5"] = results.pop("P4_P5")
    print("P3: shipper throughput...", flush=True)
    with servers.domain(0.0) as (domain, _):
        results["P3"] = inprocess.shipper_throughput(fresh("p3"), domain)
    results["calibration_ms_after"] = calibration_ms()
    results["minutes"] = round((time.time() - started) / 60, 1)
    servers.dump(HERE / "results.json", results)
    print("\n" + table(results) + f"\n\n({results['minutes']} min; calibration {results['calibration_ms_before']}"
          f" / {results['calibration_ms_after']} ms before / after; bench/results.json)")


if __name__ == "__main__":
    main()
