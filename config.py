"""Settings from environment variables, with safe local defaults."""
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_QUESTION = (
    "Tell us, in your own words, about a time a tool or service made your work "
    "noticeably easier or harder. What happened, and what would you change?"
)


def _env(name, default=None):
    value = os.environ.get(name, "").strip()
    return value or default


def _search_defaults(url):
    """Auth, region and SigV4 service implied by the endpoint host."""
    host = (urlsplit(url).hostname or "") if url else ""
    on_aws = host.endswith(".amazonaws.com")
    parts = host.split(".")  # search-x.<region>.es.amazonaws.com
    region = parts[-4] if on_aws and len(parts) >= 5 else None
    service = "aoss" if host.endswith(".aoss.amazonaws.com") else "es"
    return ("sigv4" if on_aws else "none"), region, service


def from_environment():
    """Build the settings mapping the app factory loads."""
    app_env = _env("APP_ENV", "development")
    return {
        "APP_ENV": app_env,
        "LOG_FORMAT": _env("LOG_FORMAT", "json" if app_env == "production" else "text"),
        "SECRET_KEY": _env("SECRET_KEY"),
        "DATA_DIR": _env("DATA_DIR", os.path.abspath("instance")),
        **_search_settings(),
        **_analyst_settings(),
        **_sign_in_settings(),
        **_meaning_settings(),
        **_respondent_settings(),
        **_shipping_settings(),
    }


def _search_settings():
    search_url = _env("SEARCH_URL")
    auth, region, service = _search_defaults(search_url)
    service = _env("SEARCH_SERVICE", service)
    return {
        "SEARCH_URL": search_url,
        "SEARCH_AUTH": _env("SEARCH_AUTH", auth),
        "AWS_REGION": _env("AWS_REGION", region),
        "SEARCH_SERVICE": service,
        "SEARCH_INDEX": _env("SEARCH_INDEX", "survey-responses"),
        "SEARCH_TIMEOUT": float(_env("SEARCH_TIMEOUT", "10")),  # seconds per request to the domain
        # Where there is no _refresh (Serverless), how long until a write is searchable.
        "SEARCH_REFRESH_SECONDS": float(_env("SEARCH_REFRESH_SECONDS", "60" if service == "aoss" else "2")),
        "RANK_WINDOW": int(_env("RANK_WINDOW", "5000")),
    }


def _analyst_settings():
    return {
        "ANALYSTS": _env("ANALYSTS", ""),
        "SUBMIT_RATE_LIMIT": _env("SUBMIT_RATE_LIMIT", "10/minute"),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI"),  # default: a file in DATA_DIR (finalize)
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per 15 minutes"),
        "ANALYST_IDLE_MINUTES": int(_env("ANALYST_IDLE_MINUTES", "30")),
        "ANALYST_REQUEST_SECONDS": float(_env("ANALYST_REQUEST_SECONDS", "20")),  # then a 503, not a stuck worker
        # A fleet reads sessions and survey counts from the domain through caches this old at most.
        "SESSION_CHECK_SECONDS": float(_env("SESSION_CHECK_SECONDS", "2")),
        "CAP_CHECK_SECONDS": float(_env("CAP_CHECK_SECONDS", "2")),
        "AUTOCODE_SECONDS": float(_env("AUTOCODE_SECONDS", "2")),  # search mode: seconds between sweeps
        # Flask's own default is 31 days; an analyst session ends after this many hours, active or not.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=float(_env("ANALYST_SESSION_HOURS", "8"))),
    }


def _sign_in_settings():
    return {
        "AUTH": _env("AUTH", "password"),  # or alb-oidc: the load balancer signs people in
        "ALB_ARN": _env("ALB_ARN"),
        "ALB_KEYS_URL": _env("ALB_KEYS_URL"),  # default: the region's public-keys.auth.elb endpoint
        "SSO_NAME_CLAIM": _env("SSO_NAME_CLAIM", "email"),
        "SSO_ROLE_CLAIM": _env("SSO_ROLE_CLAIM", "groups"),
        "SSO_ROLES": _env("SSO_ROLES", ""),
        "SSO_LOGOUT_URL": _env("SSO_LOGOUT_URL"),  # the identity provider's logout, after the ALB's
    }


def _meaning_settings():
    return {
        # The sentence-embedding model's files (`make model`); without them, meaning is unavailable.
        "MODEL_DIR": _env("MODEL_DIR", str(Path(__file__).resolve().parent / "embedding-model")),
        "EMBED_AUTOSTART": _env("EMBED_AUTOSTART", "on") != "off",  # the background embedder (tests: off)
        "EMBED_THREADS": int(_env("EMBED_THREADS", "2")),
    }


def _respondent_settings():
    return {
        "SPAM_THRESHOLD": float(_env("SPAM_THRESHOLD", "0.7")),
        "SPAM_MIN_SECONDS": float(_env("SPAM_MIN_SECONDS", "3")),
        "SPAM_REPEAT_HOURS": float(_env("SPAM_REPEAT_HOURS", "24")),
        "SURVEY_QUESTION": _env("SURVEY_QUESTION", DEFAULT_QUESTION),
        "SURVEYS_FILE": _env("SURVEYS_FILE"),
        "SURVEY_TAGS": _env("SURVEY_TAGS", "v1"),
        "ESSAY_MAX_CHARS": int(_env("ESSAY_MAX_CHARS", "10000")),
        "DRAFT_DAYS": float(_env("DRAFT_DAYS", "30")),  # an unfinished answer is wiped after this long untouched
        "PROXY_HOPS": int(_env("PROXY_HOPS", "0")),
        "HEALTH_MIN_FREE_MB": int(_env("HEALTH_MIN_FREE_MB", "1")),
    }


def _shipping_settings():
    return {
        "SHIP_BATCH": int(_env("SHIP_BATCH", "1000")),
        "SHIP_MAX_BYTES": int(_env("SHIP_MAX_BYTES", str(5 * 1024 * 1024))),
        "SHIP_PARALLEL": int(_env("SHIP_PARALLEL", "2")),  # bulk requests a batch is split over, sent side by side
        "SHIP_LEASE_SECONDS": float(_env("SHIP_LEASE_SECONDS", "120")),
        "SHIP_POLL_SECONDS": float(_env("SHIP_POLL_SECONDS", "1")),
        "SHIP_STUCK_SECONDS": float(_env("SHIP_STUCK_SECONDS", "300")),  # no pass ended for this long: 503
        "SHIPPER_AUTOSTART": _env("SHIPPER_AUTOSTART", "on") != "off",
        "SPILL_URL": _env("SPILL_URL"),
        "SPILL_AFTER": float(_env("SPILL_AFTER", "60")),
        "SPILL_POLL_SECONDS": float(_env("SPILL_POLL_SECONDS", "30")),  # one S3 LIST per worker per period
    }


# Flask and extension settings that are not operator-facing.
FIXED = {
    "BOOTSTRAP_SERVE_LOCAL": True,
    "WTF_CSRF_TIME_LIMIT": 24 * 3600,  # essays take a while; expiry never loses text anyway
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PAGE_SIZE": 20,
    # Essays are at most 10,000 characters; percent-encoded UTF-8 can triple that, twice over.
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "RATELIMIT_HEADERS_ENABLED": True,
}


class ConfigError(RuntimeError):
    """Raised when the settings cannot run the app safely."""


def finalize(config):
    """Check production requirements and fill in the development secret key."""
    if config["APP_ENV"] == "production":
        if not config.get("SECRET_KEY"):
            raise ConfigError(
                "SECRET_KEY is not set. In production (APP_ENV=production) set it to a long "
                "random value, e.g. python -c 'import secrets; print(secrets.token_hex(32))'."
            )
        config["SESSION_COOKIE_SECURE"] = True
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _dev_secret_key(Path(config["DATA_DIR"]))


def _dev_secret_key(data_dir):
    """Generate a key once per data dir so sessions survive restarts."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = data_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:  # link is atomic: concurrent workers all end up reading the same key
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
