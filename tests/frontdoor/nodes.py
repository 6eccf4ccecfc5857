"""The test run's one node: started once (by whichever process comes first), stopped by the run."""
import contextlib
import json
import os
import signal
from pathlib import Path

from opensearch.node import Node, Unavailable


def start_node(home):
    """{"url", "pid"} of a node started in its own session (it outlives the worker), or {"error"}."""
    node = Node(home=home, heap="1g", short_run=True)
    try:
        node.start()
    except Unavailable as exc:
        node.stop()
        return {"error": str(exc)}
    return {"url": node.url, "pid": node.process.pid, "home": str(home)}


def stop_node(config):
    """After the run (in xdist's controller, or the only process): stop the node the run started."""
    started = Path(config._tmp_path_factory.getbasetemp()) / "opensearch.json"
    found = json.loads(started.read_text()) if started.exists() else {}
    if found.get("pid"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(found["pid"], signal.SIGTERM)
        started.unlink()
