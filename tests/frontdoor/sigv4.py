"""Verify an AWS SigV4 request by recomputing its signature with botocore."""
import hashlib
import hmac
import re
from datetime import datetime, timedelta, timezone

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)"
    r"/aws4_request, ?SignedHeaders=(?P<signed>[^,]+), ?Signature=(?P<signature>[0-9a-f]{64})"
)


class SignatureError(Exception):
    """Why a request was refused, in the words AWS uses."""


def verify(keys, region, service, method, url, headers, body):
    """Raise SignatureError unless the request is validly signed with a live key."""
    match = _AUTH.fullmatch(headers.get("Authorization", ""))
    if not match:
        raise SignatureError("Missing Authentication Token")
    key = keys.get(match["key"])
    if key is None:
        raise SignatureError("The security token included in the request is invalid.")
    secret, token = key
    if token and headers.get("X-Amz-Security-Token") != token:
        raise SignatureError("The security token included in the request is expired")
    if (match["region"], match["service"]) != (region, service):
        raise SignatureError(f"Credential should be scoped to a valid region/service ({region}/{service}).")
    _check_freshness(headers.get("X-Amz-Date", ""))
    claimed = headers.get("X-Amz-Content-Sha256")
    if claimed is None and service == "aoss":  # Serverless refuses a request without the payload hash
        raise SignatureError("x-amz-content-sha256 header is missing: OpenSearch Serverless requires it.")
    if claimed is not None and claimed != hashlib.sha256(body).hexdigest():
        raise SignatureError("The provided x-amz-content-sha256 header does not match what was computed.")
    expected = _signature(secret, token, match, method, url, headers, body)
    if not hmac.compare_digest(expected, match["signature"]):
        raise SignatureError(
            "The request signature we calculated does not match the signature you provided."
        )


def _check_freshness(amz_date):
    try:
        when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise SignatureError("Missing or malformed X-Amz-Date.") from None
    if abs(datetime.now(timezone.utc) - when) > timedelta(minutes=5):
        raise SignatureError("Signature expired: the request time is too far from the server time.")


def _signature(secret, token, match, method, url, headers, body):
    signed = match["signed"].split(";")
    request = AWSRequest(method=method, url=url, data=body, headers={h: headers.get(h, "") for h in signed})
    request.context["timestamp"] = headers["X-Amz-Date"]
    signer = SigV4Auth(Credentials(match["key"], secret, token), match["service"], match["region"])
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)
