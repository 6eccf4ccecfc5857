"""The load balancer's side of single sign-on, on loopback: a key server and tokens signed as an ALB signs them."""
import base64
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.utils import der_to_raw_signature

from tests.serving import serving

ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/survey/50dc6c495c0c9188"
KID = "9e2a1f6c-5b3d-4c1e-8f7a-0b1c2d3e4f50"


def new_key():
    """A fresh P-256 key pair (the ALB's kind)."""
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key):
    """The PEM the ALB publishes for a kid."""
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _padded(data):
    # The ALB's tokens are base64url *with* '=' padding, unlike most JWTs.
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


def alb_token(key, claims=None, kid=KID, signer=ARN, expires_in=120, alg="ES256"):
    """An x-amzn-oidc-data value as the ALB makes it: ES256 over padded base64url segments."""
    header = {"alg": alg, "kid": kid, "signer": signer, "iss": "https://idp.example.org", "client": "app",
              "typ": "JWT"}
    body = {"sub": "1234", "email": "lea@example.org", "groups": ["research"], "exp": int(time.time()) + expires_in,
            "iss": "https://idp.example.org", **(claims or {})}
    signing_input = f"{_padded(header)}.{_padded(body)}"
    if alg == "none":
        return signing_input + "."
    der = key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    signature = base64.urlsafe_b64encode(der_to_raw_signature(der, ec.SECP256R1())).decode()
    return f"{signing_input}.{signature}"


def pyjwt_token(key, claims, kid=KID, signer=ARN):
    """The same claims as an ordinary unpadded JWT (PyJWT's own encoding)."""
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": kid, "signer": signer})


@pytest.fixture
def key_server():
    """A loopback stand-in for public-keys.auth.elb.<region>.amazonaws.com: GET /<kid> is the PEM."""
    keys = {}
    asked = []

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            kid = self.path.strip("/")
            asked.append(kid)
            pem = keys.get(kid)
            self.send_response(200 if pem else 404)
            self.end_headers()
            self.wfile.write(pem or b"no such key")

        def log_message(self, *args):
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    key = new_key()
    keys[KID] = public_pem(key)
    with serving(server) as url:
        yield SimpleNamespace(url=url, keys=keys, asked=asked, key=key)


@pytest.fixture
def sso_config(app_config, key_server):
    """Settings for an app behind an ALB that signs people in."""
    return dict(app_config, AUTH="alb-oidc", ALB_ARN=ARN, ALB_KEYS_URL=key_server.url, ANALYSTS="",
                SSO_ROLES="admins=admin,research=analyst,students=coder,guests=viewer",
                SSO_LOGOUT_URL="https://idp.example.org/logout?client_id=app")
