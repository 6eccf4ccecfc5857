"""One way to show a time on every page: in UTC, said so, as people write dates ("3 Dec 2026, 22:10 UTC")."""
from datetime import datetime, timezone


def utc(value, seconds=False):
    """A datetime, or an ISO 8601 string as the journal and the workspace keep them, shown in UTC."""
    if not value:
        return ""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    return when.strftime("%-d %b %Y, %H:%M" + (":%S" if seconds else "")) + " UTC"


def iso(value):
    """The same time for a <time datetime=...> attribute."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when).isoformat()


def init_app(app):
    """Templates write {{ t | utc }} and <time datetime="{{ t | iso }}">."""
    app.add_template_filter(utc)
    app.add_template_filter(iso)
