"""Code names: what one may be, and what follows a code's rename (saved searches' code filters)."""
import json
import unicodedata

from collector.common.error_pages import UserError
from collector.search.query import fold

NAME_MAX = 60
DESCRIPTION_MAX = 500


def checked_name(name):
    """A code name stripped and checked: 1-60 characters, not starting with '-' (code=-x excludes)."""
    name = unicodedata.normalize("NFC", " ".join(str(name or "").split()))
    if any(unicodedata.category(c).startswith("C") for c in name):  # NUL, controls, invisible formats
        raise UserError("A code name cannot hold control or invisible characters.")
    if not 1 <= len(name) <= NAME_MAX:
        raise UserError(f"A code name needs 1 to {NAME_MAX} characters.")
    if name.startswith("-"):
        raise UserError("A code name cannot start with '-' (code=-name means answers without it).")
    return name


def renamed_meanwhile(old, new):
    """Why an edit of a code that someone else renamed since it was read changes nothing."""
    return f"'{old}' was renamed to '{new}' a moment ago, by someone else: nothing was changed. Look again, then edit it."


def renamed_params(params, old, new):
    """A saved search's params (JSON pairs) with its code filters (code=old, code=-old) following a rename."""
    renamed = {fold(old): new, fold(f"-{old}"): f"-{new}"}
    return json.dumps([[k, renamed.get(fold(v), v) if k == "code" else v] for k, v in json.loads(params)])
