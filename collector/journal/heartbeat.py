"""Whether the journal can take an answer now: what /healthz asks before it says 200."""
import os
import shutil
import sqlite3

from flask import current_app

from collector import journal
from collector.common import clock


def writable():
    """True when an answer can be stored now: room on the journal's disk and a real, synced write."""
    path = current_app.config["JOURNAL_PATH"]
    try:
        if shutil.disk_usage(os.path.dirname(path)).free < current_app.config["HEALTH_MIN_FREE_MB"] * 2 ** 20:
            return False
        now = clock.utc().isoformat()
        journal.WRITER.of().run(
            lambda db: db.execute("INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, ?)", (now,)))
        return True
    except (sqlite3.Error, OSError):
        return False
