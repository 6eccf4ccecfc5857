"""Audit trail of exports and erasures: who, when, what kind, how many; never the content."""
import logging
from datetime import datetime, timezone

from collector.search.model import used_filters

log = logging.getLogger("audit")
SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    count INTEGER NOT NULL,
    scope TEXT NOT NULL
);
"""


def log_action(db, actor, action, count, scope):
    """Append one entry; scope names the filters used (e.g. 'email'), never their values."""
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    db.execute(
        "INSERT INTO audit_log (at, actor, action, count, scope) VALUES (?, ?, ?, ?, ?)",
        (at, actor, action, count, scope),
    )
    log.info("audit", extra={"actor": actor, "action": action, "count": count, "scope": scope})


def entries(db):
    """Every entry, oldest first."""
    return db.execute("SELECT at, actor, action, count, scope FROM audit_log ORDER BY seq").fetchall()


def scope_of(args):
    """Which filters a request used, by name only."""
    return ",".join(sorted(used_filters(args))) or "all"
