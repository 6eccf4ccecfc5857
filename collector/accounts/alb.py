"""Sign-in at the load balancer (AUTH=alb-oidc): who sent a request, from the ALB's signed token.

The ALB signs the user in with the organisation's identity provider and passes the user's claims
in `x-amzn-oidc-data`, an ES256 JWT it signs itself. Anyone can send that header, so it counts
only when its signature verifies with the key the ALB publishes for the token's `kid`, its
`signer` is the one ALB configured (ALB_ARN), and it has not expired. Keys are fetched once per
kid and kept for the process's life (the ALB never changes the key behind a kid).
"""
import re
import threading

import requests
from flask import redirect, session
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from collector.accounts.roles import ROLES
from collector.common import lazy
from config import ConfigError

jwt = lazy.module("jwt")  # with cryptography, loaded by the first sign-in behind an ALB
HEADER = "x-amzn-oidc-data"
SESSION_COOKIE = "AWSELBAuthSessionCookie"  # the ALB splits its session over -0, -1, ...
SESSION_SHARDS = 4
KID = re.compile(r"[A-Za-z0-9-]{1,128}")  # the ALB's kids are UUIDs: nothing else reaches the key URL
NOT_SIGNED_IN = "You are not signed in through your organisation's sign-in. Open the site's address again to sign in."


class AlbSignIn:
    """Names and roles from the ALB's tokens; every refusal is a 401."""

    signs_in_here = False

    def __init__(self, config):
        self.signer = config["ALB_ARN"]
        region = config["AWS_REGION"]
        self.keys_url = (config["ALB_KEYS_URL"] or f"https://public-keys.auth.elb.{region}.amazonaws.com").rstrip("/")
        self.name_claim = config["SSO_NAME_CLAIM"]
        self.role_claim = config["SSO_ROLE_CLAIM"]
        self.group_roles = parse_group_roles(config["SSO_ROLES"])
        self.logout_url = config["SSO_LOGOUT_URL"] or "/"
        self.keys = {}
        self.lock = threading.Lock()

    def who(self, request):
        """(name, role from the groups) of a verified token; Unauthorized otherwise."""
        claims = self.verified(request.headers.get(HEADER, ""))
        name = claims.get(self.name_claim)
        if not isinstance(name, str) or not name.strip():
            raise Unauthorized(f"Your sign-in does not say who you are (no {self.name_claim!r} claim).")
        return name.strip(), self.role_of(claims.get(self.role_claim))

    def verified(self, token):
        """The claims of a token the configured ALB signed and that has not expired."""
        if not token:
            raise Unauthorized(NOT_SIGNED_IN)
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "ES256" or header.get("signer") != self.signer:
                raise Unauthorized(NOT_SIGNED_IN)
            key = self.key(header.get("kid"))
            return jwt.decode(token, key, algorithms=["ES256"], options={"require": ["exp"], "verify_aud": False})
        except jwt.PyJWTError as exc:  # a bad token, or a key that is not one (InvalidKeyError)
            raise Unauthorized(NOT_SIGNED_IN) from exc

    def key(self, kid):
        """The ALB's public key (PEM) for kid, fetched once."""
        if not isinstance(kid, str) or not KID.fullmatch(kid):
            raise Unauthorized(NOT_SIGNED_IN)
        with self.lock:
            if kid not in self.keys:
                self.keys[kid] = self._fetch(kid)
            return self.keys[kid]

    def _fetch(self, kid):
        try:
            response = requests.get(f"{self.keys_url}/{kid}", timeout=5)
        except requests.RequestException as exc:
            raise ServiceUnavailable("The load balancer's signing keys could not be fetched; try again.") from exc
        if response.status_code != 200:
            raise Unauthorized(NOT_SIGNED_IN)
        try:  # loaded here, once: what is not a P-256 public key is never kept, and signs nobody in
            return jwt.algorithms.ECAlgorithm(jwt.algorithms.ECAlgorithm.SHA256).prepare_key(response.text)
        except (ValueError, jwt.PyJWTError) as exc:
            raise Unauthorized(NOT_SIGNED_IN) from exc

    def role_of(self, groups):
        """The highest role any of the person's groups maps to, or None."""
        mapped = [self.group_roles[group] for group in _groups(groups) if group in self.group_roles]
        return max(mapped, key=ROLES.index) if mapped else None

    def sign_in_first(self, request):
        """Never reached: who() refuses a request without a valid token itself."""
        raise Unauthorized(NOT_SIGNED_IN)

    def log_out(self):
        """End the app's session and the ALB's (its cookies), then the identity provider's."""
        session.clear()
        response = redirect(self.logout_url, 303)
        for shard in range(SESSION_SHARDS):
            response.delete_cookie(f"{SESSION_COOKIE}-{shard}", path="/", secure=True, httponly=True)
        return response


def parse_group_roles(setting):
    """'admins=admin,research=analyst' as {group: role}."""
    mapping = {}
    for pair in filter(None, (p.strip() for p in (setting or "").split(","))):
        group, _, role = (part.strip() for part in pair.rpartition("="))
        if not group or role not in ROLES:
            raise ConfigError(f"SSO_ROLES entry {pair!r} is not group=role with a role of {', '.join(ROLES)}.")
        mapping[group] = role
    return mapping


def _groups(claim):
    """A groups claim as a list: identity providers send a JSON list or one comma-separated string."""
    if isinstance(claim, list):
        return [str(group).strip() for group in claim]
    if isinstance(claim, str):
        return [group.strip() for group in re.split(r"[,\s]+", claim.strip("[]")) if group.strip()]
    return []
