"""What the settings say the mode is: embedded (the journal is the store; FTS5 searches it) or search
(answers ship from the journal to an OpenSearch domain). Only the composition root (collector/composition.py),
which builds each feature's store for the mode, and the operators' CLI read it: tests/test_layout.py."""
from collector.common.slots import Slot

MODE = Slot("mode")


class Mode:
    """Whether answers ship."""

    def __init__(self, config):
        self.ships = bool(config["SEARCH_URL"])  # answers go on to a search domain

    @property
    def embedded(self):
        """The journal is the only store: nothing ships, FTS5 searches it."""
        return not self.ships


def init_app(app):
    """Decide the app's mode once, from its settings."""
    MODE.put(app, Mode(app.config))


def current():
    """The current app's Mode."""
    return MODE.of()


def of(app):
    """An app's Mode (outside a request or app context)."""
    return MODE.of(app)
