"""The spill store: answers the domain could not take wait off the instance, in S3, one object each.

One object per answer, so erasing one answer is one DeleteObject and no answer waits behind a
batch. Keys: <prefix>pending/<email digest>/<id>.json (erasure by email lists one folder) and
<prefix>dead/... for answers the domain refused for good. Endpoints follow boto3's own settings
(AWS_ENDPOINT_URL_S3), so the same code talks to S3 and to a loopback moto server.
"""
import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

TIMEOUTS = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"})


class StoreUnavailable(RuntimeError):
    """The spill store did not answer or refused the request."""


class SpillStore:
    """One S3 bucket and prefix holding spilled answers as JSON objects."""

    def __init__(self, url, region=None, threads=8):
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"SPILL_URL must look like s3://<bucket>/<prefix>, not {url!r} (see docs/deploy.md)")
        self.bucket, prefix = parts.netloc, parts.path.strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.region, self.threads, self._client, self._counted = region, threads, None, (0.0, None)

    @property
    def client(self):
        """The boto3 S3 client, made on first use (after gunicorn's fork)."""
        if self._client is None:
            self._client = boto3.session.Session().client("s3", region_name=self.region, config=TIMEOUTS)
        return self._client

    def key(self, row, folder="pending"):
        """Where one answer waits: its email's folder, its id."""
        return f"{self.prefix}{folder}/{email_digest(row['email'])}/{row['id']}.json"

    def put_many(self, rows):
        """Store rows (dicts of journal columns) in parallel; the ids the store confirmed."""
        def put(row):
            try:
                self.client.put_object(Bucket=self.bucket, Key=self.key(row), Body=json.dumps(row).encode(),
                                       ContentType="application/json", ServerSideEncryption="AES256")
                return row["id"]
            except (BotoCoreError, ClientError):
                return None
        with ThreadPoolExecutor(self.threads) as pool:
            return [doc_id for doc_id in pool.map(put, rows) if doc_id]

    def read_many(self, keys):
        """(key, row) for each key still there, read in parallel."""
        def read(key):
            try:
                return key, json.loads(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
            except self.client.exceptions.NoSuchKey:
                return key, None  # drained or erased meanwhile
        with ThreadPoolExecutor(self.threads) as pool:
            return [(key, row) for key, row in self._guarded(lambda: list(pool.map(read, keys))) if row]

    def waiting(self, limit=1000):
        """Keys of spilled answers waiting for the domain (at most one listing page)."""
        return [item["Key"] for item in self._list(f"{self.prefix}pending/", limit)]

    def count(self, max_age=30.0):
        """How many answers wait in the store (listed at most every max_age seconds); None if unreachable."""
        at, value = self._counted
        if time.monotonic() - at > max_age:
            try:
                value = len(self._list(f"{self.prefix}pending/"))
            except StoreUnavailable:
                value = None
            self._counted = (time.monotonic(), value)
        return value

    def keys_for(self, doc_ids=(), email=None):
        """Keys (pending or dead) holding these answers, or every answer from this email."""
        if email is not None:
            folders = [f"{self.prefix}{folder}/{email_digest(email)}/" for folder in ("pending", "dead")]
            return [item["Key"] for folder in folders for item in self._list(folder)]
        wanted = {f"{doc_id}.json" for doc_id in doc_ids}
        return [item["Key"] for item in self._list(self.prefix) if item["Key"].rsplit("/", 1)[-1] in wanted]

    def remove(self, keys):
        """Delete objects, a thousand per request (the API's limit)."""
        for start in range(0, len(keys), 1000):
            objects = [{"Key": key} for key in keys[start:start + 1000]]
            self._guarded(lambda: self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}))

    def bury(self, key, row, reason):
        """Move an answer the domain refused for good under dead/, with the reason."""
        dead = self.key(row, folder="dead")
        body = json.dumps({**row, "dead_reason": reason}).encode()
        self._guarded(lambda: self.client.put_object(Bucket=self.bucket, Key=dead, Body=body,
                                                     ContentType="application/json", ServerSideEncryption="AES256"))
        self.remove([key])

    def _list(self, prefix, limit=None):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix, PaginationConfig={"MaxItems": limit} if limit else {})
        return self._guarded(lambda: [item for page in pages for item in page.get("Contents", [])])

    @staticmethod
    def _guarded(call):
        try:
            return call()
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"the spill store did not answer: {exc.__class__.__name__}") from exc


def email_digest(email):
    """A folder name per email address, so erasure by email lists one folder, not the bucket."""
    return hashlib.blake2b((email or "").encode(), digest_size=16).hexdigest()


def id_of(key):
    """The answer id a key holds."""
    return key.rsplit("/", 1)[-1].removesuffix(".json")
