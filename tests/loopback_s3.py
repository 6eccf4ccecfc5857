"""moto's server mode on loopback: the S3 the spill tests use."""
import subprocess
import sys
import time
import urllib.request

import boto3

from opensearch.node import free_port


class LoopbackS3:
    """moto's server mode on 127.0.0.1: a real S3 API that boto3 reaches through AWS_ENDPOINT_URL_S3."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.process.kill()
        raise AssertionError("moto server never answered")

    def client(self):
        """A boto3 S3 client of the loopback endpoint."""
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1")

    def keys(self, bucket, prefix=""):
        """Every key under prefix."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def stop(self):
        """Stop the server."""
        self.process.kill()
        self.process.wait()
