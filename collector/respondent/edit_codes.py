"""Edit codes: the secret that lets a respondent change a sent answer, shown to them once.

A receipt names an answer (it is in analysts' exports and API hits); it grants nothing. Changing the
answer needs the edit code given with it, of which only a SHA-256 digest is stored, in the answer
itself (journal and index), so every instance of a fleet can check it and none can show it again.
"""
import base64
import hashlib
import hmac
import re
import secrets

from flask import session

CODE_BYTES = 10  # 80 random bits: 16 base32 characters, shown as four groups of four
SESSION_KEY = "edit_codes"  # {receipt: code} this browser was given, newest last
KEPT_IN_SESSION = 5


def new():
    """A fresh random edit code, as the respondent reads it (abcd-efgh-ijkl-mnop)."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().lower()
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def digest(code):
    """What is stored of a code: the SHA-256 of its letters, without the dashes or spaces typed with it."""
    letters = re.sub(r"[^a-z2-7]", "", (code or "").lower())
    return hashlib.sha256(letters.encode()).hexdigest()


def matches(doc, code):
    """Whether `code` is the edit code given with this answer (never true for an answer without one)."""
    if not doc.edit_key or not code:
        return False
    return hmac.compare_digest(doc.edit_key, digest(code))


def remember(receipt, code):
    """Keep the code in this browser's session, so its receipt page can show it and fill it in."""
    kept = {r: c for r, c in session.get(SESSION_KEY, {}).items() if r != receipt}
    kept[receipt] = code
    session[SESSION_KEY] = dict(list(kept.items())[-KEPT_IN_SESSION:])


def remembered(receipt):
    """The edit code this browser was given for the receipt's answer, or None."""
    return session.get(SESSION_KEY, {}).get(receipt)
