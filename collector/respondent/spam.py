"""Spam scoring with no third-party call: signals add up to a score; spam is flagged, never dropped."""
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from collector import journal
from collector.common import clock

log = logging.getLogger("spam")
WEIGHTS = {"honeypot": 1.0, "too_fast": 0.8, "no_timer": 0.5, "links": 0.5, "repeated": 0.6, "gibberish": 0.4}
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_MASHED = re.compile(r"[^aeiouy]{5,}")


@dataclass
class Verdict:
    """A spam score in [0, 1], the signals behind it, and the flag."""

    score: float
    reasons: list
    is_spam: bool


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="survey-form-started")


def start_token():
    """A signed timestamp for the form's hidden field: when the respondent opened it."""
    return _serializer().dumps(clock.now())


def seconds_taken(token):
    """Seconds since the form was opened, or None when the token is missing or forged."""
    try:
        return clock.now() - float(_serializer().loads(token or ""))
    except (BadSignature, TypeError, ValueError):
        return None


def link_heavy(essay):
    """Three or more links, or more than one link per 20 words."""
    links = len(_LINK.findall(essay))
    return links >= 3 or links * 20 > max(1, len(essay.split())) and links > 0


def gibberish(essay):
    """Keyboard mashing in Latin script: too few vowels, long consonant runs or endless words."""
    words = [w.lower() for w in _LETTERS.findall(essay)]
    latin = [w for w in words if w.isascii()]
    if len(latin) < 3 or len(latin) * 2 < len(words):
        return False  # too short to judge, or mostly another script
    letters = "".join(latin)
    vowels = sum(map(letters.count, "aeiouy")) / len(letters)
    mashed = sum(bool(_MASHED.search(w)) for w in latin) / len(latin)
    endless = sum(len(w) > 20 for w in latin) / len(latin)
    return vowels < 0.2 or mashed > 0.3 or endless > 0.2


def _signals(form, essay, email, client_ip):
    config = current_app.config
    taken = seconds_taken(form.started.data)
    since = clock.utc() - timedelta(hours=config["SPAM_REPEAT_HOURS"])
    return {
        "honeypot": bool(form.website.data),
        "no_timer": taken is None,
        "too_fast": taken is not None and taken < config["SPAM_MIN_SECONDS"],
        "links": link_heavy(essay),
        "repeated": journal.seen_recently(essay, email, client_ip, since),
        "gibberish": gibberish(essay),
    }


def assess(form, essay, email, client_ip):
    """Score a valid form whose text answers are `essay`; the reasons are logged, never the content."""
    reasons = [name for name, hit in _signals(form, essay, email or "", client_ip).items() if hit]
    score = min(1.0, sum(WEIGHTS[r] for r in reasons))
    verdict = Verdict(score, reasons, score >= current_app.config["SPAM_THRESHOLD"])
    if reasons:
        log.info("spam signals", extra={"score": score, "reasons": reasons, "is_spam": verdict.is_spam})
    return verdict
