"""Where reliability rounds live: the journal (embedded mode) or the domain's workspace (search mode),
behind the same calls; tests/reliability runs the same tests against both."""
from flask import current_app

from collector import workspace
from collector.journal import mode
from collector.reliability.fleet_rounds import FleetRounds
from collector.reliability.journal_rounds import JournalRounds
from collector.web import lifecycle


class JournalStore(JournalRounds):
    """Rounds in this instance's journal (which forgets erased answers in them itself)."""


class FleetStore(FleetRounds):
    """Rounds in the domain's workspace index, shared by every instance."""

    def __init__(self, app):
        self.records = workspace.of(app).records


def init_app(app):
    """Choose the app's round store by its mode."""
    app.extensions["rounds"] = store = FleetStore(app) if mode.of(app).ships else JournalStore()
    if mode.of(app).ships:
        lifecycle.register(app, "rounds", store.forget_in_rounds)


def current():
    """The current app's round store."""
    return current_app.extensions["rounds"]
