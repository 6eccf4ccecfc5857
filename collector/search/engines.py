"""The app's search engine (OpenSearch for a fleet, embedded FTS5 on a laptop: chosen by
collector/composition.py), behind the SearchEngine interface."""

from collector.common.slots import Slot
from collector.meaning import matrix
from collector.search.embedded import EmbeddedEngine
from collector.search.opensearch import OpenSearchEngine
from collector.search.results import SearchEngine

SEARCH = Slot("search")


def embedded(app):
    """The laptop's engine: FTS5 over the journal."""
    return EmbeddedEngine(app.config["RANK_WINDOW"], matrix.folder_of(app.config))


def fleet(app, text_fields):
    """The fleet's engine: the domain's index, with the survey definitions' text fields."""
    return OpenSearchEngine(app.config["SEARCH_INDEX"], text_fields)


def init_app(app, engine):
    """Search with this engine."""
    SEARCH.put(app, engine)


def current() -> SearchEngine:
    """The current app's search engine."""
    return SEARCH.of()
