"""Where reliability rounds live: the journal (embedded mode) or the domain's workspace (search mode),
behind the same calls; tests/reliability runs the same tests against both."""

from collector import workspace
from collector.common.slots import Slot
from collector.reliability.fleet_rounds import FleetRounds
from collector.reliability.journal_rounds import JournalRounds

ROUNDS = Slot("rounds")


class JournalStore(JournalRounds):
    """Rounds in this instance's journal (which forgets erased answers in them itself)."""


class FleetStore(FleetRounds):
    """Rounds in the domain's workspace index, shared by every instance."""

    def __init__(self, app):
        self.records = workspace.of(app).records


def init_app(app, store):
    """Keep the app's round store (built for the mode by the composition root)."""
    ROUNDS.put(app, store)


def current():
    """The current app's round store."""
    return ROUNDS.of()
