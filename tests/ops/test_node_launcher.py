"""Issue 38 #8: `make opensearch`'s node ends with its launcher, even one killed with SIGKILL (no JVM of a
gigabyte left running behind a closed terminal or a killed test run)."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from opensearch.node import free_port, missing_tools
from tests.helpers import wait_until
from tests.processes import process_alive, wait_for

ROOT = Path(__file__).resolve().parents[2]


def children(pid):
    """The pids of a process's children."""
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.slow
def test_the_node_ends_when_its_launcher_is_killed(tmp_path):
    if missing := missing_tools():
        if os.environ.get("REQUIRE_OPENSEARCH"):
            pytest.fail(f"REQUIRE_OPENSEARCH is set: install {missing}")
        pytest.skip(f"no real OpenSearch node: install {missing}")
    port = free_port()
    launcher = subprocess.Popen([sys.executable, "-m", "opensearch.node", "--port", str(port), "--heap", "256m"],
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
    home = None
    try:
        home = re.search(r"data in (\S+)\)", launcher.stdout.readline()).group(1)
        wait_for(f"http://127.0.0.1:{port}/")
        [jvm] = children(launcher.pid)
        os.kill(launcher.pid, signal.SIGKILL)
        launcher.wait(30)
        assert wait_until(lambda: not process_alive(jvm), timeout=60), f"the node's JVM {jvm} outlived its launcher"
    finally:
        launcher.kill()
        if home:
            shutil.rmtree(home, ignore_errors=True)


def test_make_opensearch_on_a_taken_port_fails_saying_why_and_how_to_choose_another():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "opensearch.node", "--port", str(port)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "on http" not in done.stdout
    assert f"Port {port} is taken" in done.stderr and f"make opensearch PORT={port + 1}" in done.stderr
