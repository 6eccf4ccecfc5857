"""The spill store: answers the domain could not take wait off the instance, in S3, one object each.

One object per answer, so erasing one answer is one DeleteObject and no answer waits behind a
batch. Keys: <prefix>pending/<email digest>/<id>.json (erasure by email lists one folder) and
<prefix>dead/... for answers the domain refused for good. Endpoints follow boto3's own settings
(AWS_ENDPOINT_URL_S3), so the same code talks to S3 and to a loopback moto server.
"""
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from collector.common import clock, lazy
from collector.journal import FIELDS

COLUMNS = ("id", *FIELDS, "answers")  # what a spilled answer holds: a journal row
OPTIONAL = {"edit_key"}  # columns added since answers were first spilled: absent from older objects
OBJECT_MAX = 1024 * 1024  # an answer is at most MAX_CONTENT_LENGTH (256 KB) of form: bigger is not one
TIMEOUTS = {"connect_timeout": 3, "read_timeout": 10, "retries": {"max_attempts": 3, "mode": "standard"}}
# boto3 and botocore (about 25 MB) load with the first spill: most workers never spill.
boto3 = lazy.module("boto3")
botocore_config = lazy.module("botocore.config")
botocore_errors = lazy.module("botocore.exceptions")


class StoreUnavailable(RuntimeError):
    """The spill store did not answer or refused the request."""


class SpillStore:
    """One S3 bucket and prefix holding spilled answers as JSON objects."""

    def __init__(self, url, region=None, threads=8):
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"SPILL_URL must look like s3://<bucket>/<prefix>, not {url!r} (see docs/deploy.md)")
        self.bucket = parts.netloc
        prefix = parts.path.strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.region = region
        self.threads = threads
        self._client = None
        self._counted = (0.0, None)

    @property
    def client(self):
        """The boto3 S3 client, made on first use (after gunicorn's fork)."""
        if self._client is None:
            config = botocore_config.Config(**TIMEOUTS)
            self._client = boto3.session.Session().client("s3", region_name=self.region, config=config)
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
            except (botocore_errors.BotoCoreError, botocore_errors.ClientError):
                return None
        with ThreadPoolExecutor(self.threads) as pool:
            return [doc_id for doc_id in pool.map(put, rows) if doc_id]

    def read_many(self, keys):
        """([(key, row)] of well-formed answers, [(key, why not)] of the rest), read in parallel; a key
        gone meanwhile (drained or erased) is in neither."""
        def read(key):
            try:
                found = self.client.get_object(Bucket=self.bucket, Key=key)
            except self.client.exceptions.NoSuchKey:
                return key, None, None
            if found["ContentLength"] > OBJECT_MAX:
                return key, None, f"{found['ContentLength']} bytes: no answer is that large"
            return (key, *checked(key, found["Body"].read()))
        with ThreadPoolExecutor(self.threads) as pool:
            read_all = self._guarded(lambda: list(pool.map(read, keys)))
        return [(key, row) for key, row, _ in read_all if row], [(key, why) for key, _, why in read_all if why]

    def waiting(self, limit=1000):
        """Keys of spilled answers waiting for the domain (at most one listing page)."""
        return [item["Key"] for item in self._list(f"{self.prefix}pending/", limit)]

    def count(self, max_age=30.0):
        """How many answers wait in the store (listed at most every max_age seconds); None if unreachable."""
        at, value = self._counted
        if clock.monotonic() - at > max_age:
            try:
                value = len(self._list(f"{self.prefix}pending/"))
            except StoreUnavailable:
                value = None
            self._counted = (clock.monotonic(), value)
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

    def bury_as_is(self, key, reason):
        """Move an object that is not a well-formed answer under dead/ unchanged, the reason in its metadata."""
        dead = key.replace(f"{self.prefix}pending/", f"{self.prefix}dead/", 1)
        self._guarded(lambda: self.client.copy_object(
            Bucket=self.bucket, Key=dead, CopySource={"Bucket": self.bucket, "Key": key}, MetadataDirective="REPLACE",
            Metadata={"dead-reason": reason.encode("ascii", "replace").decode()[:1000]}, ServerSideEncryption="AES256"))
        self.remove([key])

    def _list(self, prefix, limit=None):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix, PaginationConfig={"MaxItems": limit} if limit else {})
        return self._guarded(lambda: [item for page in pages for item in page.get("Contents", [])])

    @staticmethod
    def _guarded(call):
        try:
            return call()
        except (botocore_errors.BotoCoreError, botocore_errors.ClientError) as exc:
            raise StoreUnavailable(f"the spill store did not answer: {exc.__class__.__name__}") from exc


def checked(key, body):
    """(row, None) for a body that is a whole answer stored under its own key, else (None, why not)."""
    try:
        row = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        return None, "not JSON"
    if not isinstance(row, dict):
        return None, "not an answer object"
    if missing := [name for name in COLUMNS if name not in row and name not in OPTIONAL]:
        return None, f"missing {', '.join(missing)}"
    if f"/{email_digest(row['email'])}/{row['id']}.json" not in key:
        return None, "its id or email does not match its key"
    return {name: None for name in OPTIONAL} | row, None


def email_digest(email):
    """A folder name per email address, so erasure by email lists one folder, not the bucket."""
    return hashlib.blake2b((email or "").encode(), digest_size=16).hexdigest()


def id_of(key):
    """The answer id a key holds."""
    return key.rsplit("/", 1)[-1].removesuffix(".json")
