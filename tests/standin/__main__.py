"""Run the stand-in by hand: python -m tests.standin [--port 9200] [--service es|aoss]."""
import argparse

from tests.standin import StandIn

KEY, SECRET = "AKIDSTANDINEXAMPLE", "standin-secret-not-a-real-key"


def main():
    """Serve until Ctrl-C, accepting one documented fake key."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=9200)
    parser.add_argument("--service", default="es", choices=["es", "aoss"])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    with StandIn(service=args.service, port=args.port) as standin:
        standin.add_key(KEY, SECRET)
        standin.switches.latency = args.latency
        print(f"Stand-in OpenSearch domain on {standin.url} (SigV4 {standin.region}/{args.service}). Use:", flush=True)
        print(f"  SEARCH_URL={standin.url} SEARCH_AUTH=sigv4 AWS_REGION={standin.region} "
              f"SEARCH_SERVICE={args.service} AWS_ACCESS_KEY_ID={KEY} AWS_SECRET_ACCESS_KEY={SECRET} make run",
              flush=True)
        try:
            standin.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
