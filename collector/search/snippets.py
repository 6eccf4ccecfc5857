"""HTML-safe snippets: escaped essay text in which only <mark> is markup."""
from markupsafe import Markup, escape

OPEN, CLOSE = "\x02", "\x03"  # highlight marks; the form strips control characters from essays
SNIPPET_CHARS = 240


def highlight(text):
    """Escape a snippet, then turn the private marks into <mark> tags."""
    safe = str(escape(text)).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return Markup(safe)


def opening(essay):
    """The escaped start of an essay, for a hit with nothing highlighted."""
    essay = essay or ""
    return highlight(essay[:SNIPPET_CHARS] + ("…" if len(essay) > SNIPPET_CHARS else ""))
