"""The app's search engine (OpenSearch for a fleet, embedded FTS5 on a laptop: chosen by
collector/composition.py), behind the SearchEngine interface."""
from flask import current_app

from collector.search.embedded import EmbeddedEngine
from collector.search.opensearch import OpenSearchEngine
from collector.search.results import SearchEngine


def embedded(app):
    """The laptop's engine: FTS5 over the journal."""
    return EmbeddedEngine(app.config["RANK_WINDOW"])


def fleet(app):
    """The fleet's engine: the domain's index, its text fields from the survey definitions."""
    kinds = app.extensions["surveys"].field_kinds()
    return OpenSearchEngine(app.config["SEARCH_INDEX"], [name for name, kind in kinds.items() if kind == "text"])


def init_app(app, engine):
    """Search with this engine."""
    app.extensions["search"] = engine


def current() -> SearchEngine:
    """The current app's search engine."""
    return current_app.extensions["search"]
