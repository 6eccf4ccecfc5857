"""Where reliability rounds live: the journal (embedded mode) or the domain's workspace (search mode),
behind the same calls; tests/reliability runs the same tests against both."""
from flask import current_app

from collector import workspace
from collector.journal import mode
from collector.reliability.fleet_rounds import FleetRounds
from collector.reliability.journal_rounds import JournalRounds


class JournalStore(JournalRounds):
    """Rounds in this instance's journal."""

    def forget_in_rounds(self, answer_ids):
        """Erased answers: the journal's erasure took what rounds said of them already."""


class FleetStore(FleetRounds):
    """Rounds in the domain's workspace index, shared by every instance."""

    def __init__(self, app):
        self.records = workspace.of(app).records


def init_app(app):
    """Choose the app's round store by its mode."""
    app.extensions["rounds"] = FleetStore(app) if mode.of(app).ships else JournalStore()


def current():
    """The current app's round store."""
    return current_app.extensions["rounds"]
