"""Start and stop the processes a benchmark needs: gunicorn (the Procfile's command) and the stand-in."""
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

ROOT = Path(__file__).resolve().parent.parent
KEY, SECRET = "AKIDSTANDINEXAMPLE", "standin-secret-not-a-real-key"


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
def standin(latency=0.0):
    """The SigV4-checking stand-in domain in its own process; yields (its URL, its pid)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tests.standin", "--port", str(port), "--latency", str(latency)],
                               cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait()


def search_env(url):
    """Settings that point the app at a stand-in."""
    return {"SEARCH_URL": url, "SEARCH_AUTH": "sigv4", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_EC2_METADATA_DISABLED": "true"}


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
    """Create the index behind the alias on a stand-in (what an operator does once)."""
    env = {**os.environ, **search_env(url), "DATA_DIR": str(data_dir), "SECRET_KEY": "x"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "application", "init-index"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def dump(path, results):
    """Write results as pretty JSON."""
    Path(path).write_text(json.dumps(results, indent=2, default=str) + "\n")
