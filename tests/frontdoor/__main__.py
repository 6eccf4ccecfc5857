"""AWS's front door on loopback, in front of a real node: python -m tests.frontdoor [--node URL].

Without --node it starts a node itself (as `make opensearch` does). It prints the settings that
point the app at it, with a documented fake key that it accepts.
"""
import argparse
import signal
import sys
import threading

from opensearch.node import Node
from tests.frontdoor import FrontDoor

KEY, SECRET = "AKIDFRONTDOOREXAMPLE", "front-door-secret-not-a-real-key"


def main():
    """Serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", help="an OpenSearch URL to forward to (default: start a node)")
    parser.add_argument("--port", type=int, default=9201)
    parser.add_argument("--service", default="es", choices=["es", "aoss"])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    node = None if args.node else Node(heap="1g").start()
    try:
        with FrontDoor(args.node or node.url, service=args.service, port=args.port) as door:
            door.add_key(KEY, SECRET)
            door.switches.latency = args.latency
            print(f"SigV4 front door on {door.url} ({door.region}/{args.service}) -> {door.node_url}. Use:",
                  flush=True)
            print(f"  SEARCH_URL={door.url} SEARCH_AUTH=sigv4 AWS_REGION={door.region} SEARCH_SERVICE={args.service} "
                  f"AWS_ACCESS_KEY_ID={KEY} AWS_SECRET_ACCESS_KEY={SECRET} make run", flush=True)
            threading.Event().wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if node:
            node.stop()


if __name__ == "__main__":
    main()
