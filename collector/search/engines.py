"""Picks the app's search engine: OpenSearch in search mode, else embedded FTS5."""
from flask import current_app

from collector.journal import mode
from collector.search.embedded import EmbeddedEngine
from collector.search.opensearch import OpenSearchEngine
from collector.search.results import SearchEngine
from collector.web import lifecycle


def init_app(app):
    """Make the engine this app searches with."""
    if mode.of(app).ships:
        kinds = app.extensions["surveys"].field_kinds()
        texts = [name for name, kind in kinds.items() if kind == "text"]
        app.extensions["search"] = engine = OpenSearchEngine(app.config["SEARCH_INDEX"], texts)
        lifecycle.register(app, "index", engine.forget)  # every version of it; the journal forgets its own
    else:
        app.extensions["search"] = EmbeddedEngine(app.config["RANK_WINDOW"])


def current() -> SearchEngine:
    """The current app's search engine."""
    return current_app.extensions["search"]
