"""Helpers for tests that start processes: gunicorn as the Procfile runs it, a URL's first answer, whether
a pid still runs."""
import json
import os
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from opensearch.node import free_port
from tests.helpers import ANALYSTS, ROOT


def gunicorn(data_dir, **env):
    """gunicorn as the Procfile runs it, on a free port; returns (process, base URL)."""
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "s" * 32, "PORT": str(port), "DATA_DIR": str(data_dir), "ANALYSTS": ANALYSTS,
           **env}
    argv = [sys.executable, "-m"] + shlex.split((ROOT / "Procfile").read_text().split(":", 1)[1])
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    except BaseException:  # never leave a server running behind a failed start
        server.kill()
        raise
    return server, f"http://127.0.0.1:{port}"


def wait_for(url, seconds=120):
    """(status, JSON body) of the first answer from url; fails if none comes in time (a busy CI machine is slow)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, json.load(response)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def process_alive(pid):
    """Whether a process runs (a zombie waiting to be reaped has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
