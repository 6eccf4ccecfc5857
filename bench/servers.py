"""Start and stop the processes a benchmark needs: gunicorn (the Procfile's command) and a real
OpenSearch node behind the simulated AWS front door."""
import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from opensearch.node import Node
from tests.frontdoor import FrontDoor
from tests.frontdoor.__main__ import KEY, SECRET

ROOT = Path(__file__).resolve().parent.parent

def free_port():
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, seconds=30):
    """Poll url until it answers (any status)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def domain(latency=0.0, heap="1g"):
    """A real OpenSearch node behind the SigV4 front door (in this process); yields (door URL, node)."""
    node = Node(heap=heap).start()
    try:
        with FrontDoor(node.url) as door:
            door.add_key(KEY, SECRET)
            door.switches.latency = latency
            yield door.url, node
    finally:
        node.stop()


def search_env(url, alias="survey-responses"):
    """Settings that point the app at a domain's front door."""
    return {"SEARCH_URL": url, "SEARCH_INDEX": alias, "SEARCH_AUTH": "sigv4", "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_EC2_METADATA_DISABLED": "true"}


def node_memory(node):
    """The node's JVM heap in use and resident memory, in MB."""
    with urllib.request.urlopen(node.url + "/_nodes/stats/jvm") as response:
        (stats,) = json.load(response)["nodes"].values()
    return {"heap_used_mb": round(stats["jvm"]["mem"]["heap_used_in_bytes"] / 2**20),
            "heap_max_mb": round(stats["jvm"]["mem"]["heap_max_in_bytes"] / 2**20),
            "rss_mb": round(node.rss_bytes() / 2**20)}


@contextlib.contextmanager
def gunicorn(data_dir, app="application:application", **env):
    """The Procfile's gunicorn in production settings (rate limit off); yields (url, master pid)."""
    port = free_port()
    command = (ROOT / "Procfile").read_text().split(":", 1)[1].replace("application:application", app)
    settings = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "bench-" + "k" * 32, "PORT": str(port),
                "DATA_DIR": str(data_dir), "SUBMIT_RATE_LIMIT": "off", "LOG_FORMAT": "json", **env}
    process = subprocess.Popen([sys.executable, "-m", *shlex.split(command)], cwd=ROOT, env=settings,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/healthz")
        yield url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def children(pid):
    """The pids whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def cpu_seconds(*pids):
    """User + system CPU time the processes (and gunicorn's workers under them) have used so far."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in {p for pid in pids for p in (pid, *children(pid))}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def worker_peak_rss_mb(master_pid):
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    peaks = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
        except (OSError, ValueError):
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return [round(p, 1) for p in sorted(peaks)]


def init_index(url, data_dir):
    """Create the index behind the alias (what an operator does once)."""
    env = {**os.environ, **search_env(url), "DATA_DIR": str(data_dir), "SECRET_KEY": "x"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "application", "init-index"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def dump(path, results):
    """Write results as pretty JSON."""
    Path(path).write_text(json.dumps(results, indent=2, default=str) + "\n")
