"""Build and start real OpenSearch 2.19 nodes from Maven artifacts, each in its own JVM.

`python -m opensearch.node` (what `make opensearch` runs) serves one node on 127.0.0.1:9200
until Ctrl-C, its data in a temporary folder. Tests start nodes through `Node` directly.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLASSES, LIB = HERE / "target" / "classes", HERE / "target" / "lib"
KNN = HERE / "target" / "knn"  # the k-NN plugin's jars (pom.xml), loaded beside the modules
# As the real launcher's jvm.options; OpenSearch 2.19 runs on Java 11 to 21.
JVM_FLAGS = ["-Djava.locale.providers=SPI,COMPAT", "-Dlog4j2.disable.jmx=true", "-XX:+UseG1GC",
             "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true"]
# For a test run's node: compile with C1 only. Most of a short run's JVM time went to the C2 compiler, which
# pays off only in long runs: the node-heavy tests took 12-20% less (tests/frontdoor/nodes.py). Benchmarks and
# `make opensearch` keep the full JIT, as a domain has it.
SHORT_RUN_FLAGS = ["-XX:TieredStopAtLevel=1"]


class Unavailable(RuntimeError):
    """Java or Maven is missing, or the build failed: no node can start here."""


def missing_tools():
    """What must be installed before a node can start ([] when nothing is missing)."""
    wanted = [("java", "a Java 17 runtime (apt-get install default-jdk-headless)")]
    if not _built():
        wanted.append(("mvn", "Maven, to fetch the node's jars (apt-get install maven)"))
    return [why for tool, why in wanted if shutil.which(tool) is None]


SOURCE = HERE / "src" / "main" / "java" / "collector" / "node" / "EmbeddedNode.java"
LAUNCHER = CLASSES / "collector" / "node" / "EmbeddedNode.class"


def _built():
    """Whether the jars are here and the launcher was compiled from its source as it is now."""
    return LAUNCHER.exists() and LAUNCHER.stat().st_mtime >= SOURCE.stat().st_mtime \
        and (LIB / "opensearch-2.19.6.jar").exists() and (KNN / "opensearch-knn-2.19.1.0.jar").exists()


def build():
    """Compile the launcher and fetch the jars once (`mvn package`); later calls do nothing."""
    if _built():
        return
    if missing := missing_tools():
        raise Unavailable("cannot start OpenSearch: install " + " and ".join(missing))
    done = subprocess.run(["mvn", "-q", "-B", "-f", str(HERE / "pom.xml"), "package"], capture_output=True, text=True)
    if done.returncode != 0 or not _built():
        raise Unavailable(f"mvn package failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One node as a child JVM: `start()`, `url`, `kill()` (SIGKILL) and `stop()` (a clean close)."""

    def __init__(self, home=None, name="node-1", http_port=None, transport_port=None, heap="512m", cluster=None,
                 short_run=False):
        self.home = Path(home or tempfile.mkdtemp(prefix="opensearch-"))
        self.name, self.heap = name, heap
        self.http_port, self.transport_port = http_port or free_port(), transport_port or free_port()
        self.cluster = cluster  # None: single-node; else (seed transport ports, initial manager names)
        self.flags = JVM_FLAGS + (SHORT_RUN_FLAGS if short_run else [])
        self.url, self.process = f"http://127.0.0.1:{self.http_port}", None

    def settings(self):
        """The node's settings as key=value arguments of the launcher."""
        settings = {"path.home": self.home, "path.data": self.home / "data", "path.logs": self.home / "logs",
                    "node.name": self.name, "network.host": "127.0.0.1", "http.port": self.http_port,
                    "transport.port": self.transport_port, "cluster.name": "collector-test",
                    "cluster.routing.allocation.disk.threshold_enabled": "false"}
        if self.cluster is None:
            settings["discovery.type"] = "single-node"
        else:
            seeds, managers = self.cluster
            settings["discovery.seed_hosts"] = ",".join(f"127.0.0.1:{port}" for port in seeds)
            settings["cluster.initial_cluster_manager_nodes"] = ",".join(managers)
        return [f"{key}={value}" for key, value in settings.items()]

    def start(self, wait=True, timeout=120):
        """Start the JVM; with wait, return once HTTP answers (fails with the node's log if it never does)."""
        build()
        self.home.mkdir(parents=True, exist_ok=True)
        log = open(self.home / "node.log", "ab")
        argv = ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}", *self.flags,
                "-cp", os.pathsep.join([str(CLASSES), f"{LIB}/*", f"{KNN}/*"]), "collector.node.EmbeddedNode",
                *self.settings()]
        self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            self.wait_until_up(timeout)
        return self

    def wait_until_up(self, timeout=120):
        """Block until GET / answers; raises Unavailable with the log's tail if the node dies or hangs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    return json.load(response)
            except OSError:
                time.sleep(0.2)
        raise Unavailable(f"OpenSearch node {self.name} did not start:\n{self.log_tail()}")

    def wait_for_status(self, status="yellow", timeout=60):
        """Block until cluster health reaches status; returns the health document."""
        url = f"{self.url}/_cluster/health?wait_for_status={status}&timeout={int(timeout)}s"
        with urllib.request.urlopen(url, timeout=timeout + 5) as response:
            return json.load(response)

    def log_tail(self, chars=4000):
        """The end of the node's own log."""
        path = self.home / "node.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def rss_bytes(self):
        """Resident memory of the JVM."""
        with open(f"/proc/{self.process.pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def kill(self):
        """SIGKILL the JVM, as a crashed instance would go."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self, remove=True):
        """Close the node cleanly (SIGTERM, then SIGKILL after 20 s), and remove its folder."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if remove:
            shutil.rmtree(self.home, ignore_errors=True)


def port_taken(port):
    """Whether something already listens on 127.0.0.1:port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def main(argv=None):
    """Serve one node on 127.0.0.1 until Ctrl-C (or SIGTERM), then close it and remove its data; exit non-zero,
    saying why, when the port is taken or the node stops by itself."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9200)
    parser.add_argument("--heap", default="1g")
    args = parser.parse_args(argv)
    if port_taken(args.port):
        sys.exit(f"Port {args.port} is taken: something (another OpenSearch?) listens on 127.0.0.1:{args.port}. "
                 f"Stop it, or start this node on another port: make opensearch PORT={args.port + 1}")
    node = Node(http_port=args.port, heap=args.heap)
    print(f"Building and starting OpenSearch 2.19.6 (data in {node.home}) ...", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    try:
        info = node.start(wait=False).wait_until_up()
        print(f"OpenSearch {info['version']['number']} on {node.url}; Ctrl-C stops it.", flush=True)
        print(f"Try search mode: SEARCH_URL={node.url} make run", flush=True)
        node.process.wait()
        sys.exit(f"The OpenSearch node stopped by itself (exit {node.process.returncode}):\n{node.log_tail()}")
    except Unavailable as exc:
        sys.exit(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        node.stop()


if __name__ == "__main__":
    main()
