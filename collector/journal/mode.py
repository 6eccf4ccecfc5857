"""The one place that knows the mode: embedded (the journal is the store; FTS5 searches it) or
search (answers ship from the journal to an OpenSearch domain). Modules ask this, not SEARCH_URL."""
from flask import current_app

from collector import journal


class Mode:
    """What the settings mean for an answer, the backlog and the engine."""

    def __init__(self, config):
        self.ships = bool(config["SEARCH_URL"])  # answers go on to a search domain
        self.engine = "opensearch" if self.ships else "embedded"

    @property
    def embedded(self):
        """The journal is the only store: nothing ships, FTS5 searches it."""
        return not self.ships

    def new_answer_state(self):
        """The journal state a new answer starts in: pending until the domain has it, else done at once."""
        return "pending" if self.ships else "shipped"

    def backlog(self, db=None):
        """Answers this instance still has to ship (always 0 in embedded mode)."""
        return journal.counts(db)["pending"] if self.ships else 0


def init_app(app):
    """Decide the app's mode once, from its settings."""
    app.extensions["mode"] = Mode(app.config)


def current():
    """The current app's Mode."""
    return current_app.extensions["mode"]


def of(app):
    """An app's Mode (outside a request or app context)."""
    return app.extensions["mode"]
