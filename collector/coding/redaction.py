"""An erased address leaves the searches analysts recorded: saved searches' and bulk batches' parameters."""
import json
import unicodedata

ERASED = "[erased]"


def redacted(params_json, email):
    """A stored search's params (JSON pairs) with every mention of this address replaced: its email= filter,
    and the address in any other field (q=...), however it was typed (case, full-width forms); None if none
    names it."""
    address = _folded(email)
    pairs = json.loads(params_json)
    changed = [[key, _without(value, address, key)] for key, value in pairs]
    return json.dumps(changed) if changed != pairs else None


def _folded(text):
    """Text as compared with an address: compatibility forms folded (a full-width '＠' is '@'), case folded."""
    return unicodedata.normalize("NFKC", str(text or "")).casefold()


def _without(value, address, key):
    """One parameter's value without the address (the email= filter becomes [erased] as a whole)."""
    folded = _folded(value)
    if not address or address not in folded:
        return value
    return ERASED if key == "email" else folded.replace(address, ERASED)
