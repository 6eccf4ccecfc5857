"""The composition root: the one module (with the CLI) that reads the mode. On a laptop it builds the
embedded stores (the journal's tables, FTS5), in a fleet the domain's and the shipper's, and hands each
feature its store, so that no feature asks which mode it is in (warehouse's register_service_factory,
ISearchService and its null twin). Each fleet store that holds a piece of an answer registers its
`forget` here, in the order erasure calls them (the journal registered its own first)."""
import logging

from collector import surveys, workspace
from collector.coding import index_sync
from collector.coding import stores as coding
from collector.coding.stores import FleetCoding, JournalCoding
from collector.common import lifecycle
from collector.journal import fts, mode, versions
from collector.meaning import matrix
from collector.reliability import stores as rounds
from collector.respondent import drafts
from collector.search import engines
from collector.shipping import forgetting, meanings, shipper, spilling
from collector.suggestions import decisions, model_cache
from collector.workspace.domain import DomainWorkspace
from collector.workspace.local import LocalWorkspace

log = logging.getLogger(__name__)


def init_app(app):
    """Decide the mode once, from the settings, and build the app's stores for it."""
    mode.init_app(app)
    if mode.of(app).ships:
        _fleet(app)
    else:
        _embedded(app)


def _embedded(app):
    """One instance: the journal is every store, FTS5 searches it (the journal's erasure covers them all)."""
    if app.config["SPILL_URL"]:
        log.warning("SPILL_URL is ignored in embedded mode: answers are never shipped, so none spill")
    versions.init_app(app, "shipped")  # nothing to ship: an answer is done once the journal has it
    fts.init_app(app)
    engines.init_app(app, engines.embedded(app))
    matrix.init_app(app)
    workspace.init_app(app, LocalWorkspace(app))
    codings = JournalCoding()
    coding.init_app(app, codings)
    index_sync.init_app(app, index_sync.Unqueued(), codings.codes_for)
    rounds.init_app(app, rounds.JournalStore())
    decisions.init_app(app, decisions.JournalDecisions())
    model_cache.init_app(app)
    drafts.init_app(app, drafts.JournalDrafts())


def _fleet(app):
    """A fleet: answers ship to the domain, which holds the search index and the shared workspace."""
    versions.init_app(app, "pending")  # until the shipper has sent it to the domain
    kinds = surveys.SURVEYS.of(app).field_kinds()
    engine = engines.fleet(app, [name for name, kind in kinds.items() if kind == "text"])
    engines.init_app(app, engine)
    lifecycle.register(app, "index", engine.forget)  # every version of it; the journal forgets its own
    shipper.init_app(app)
    forgetting.init_app(app)
    meanings.init_app(app)
    spilling.init_app(app)
    shared = DomainWorkspace(app)
    workspace.init_app(app, shared)
    _steps(app, shared.ship_audit)
    lifecycle.register(app, "places", shared.places.forget)
    codings = FleetCoding(app)
    coding.init_app(app, codings)
    index_sync.init_app(app, index_sync.Queued(), codings.codes_for)
    _steps(app, codings.sweep, codings.follow_up)
    round_store = rounds.FleetStore(app)
    rounds.init_app(app, round_store)
    lifecycle.register(app, "rounds", round_store.forget_in_rounds)
    decision_store = decisions.FleetDecisions(app)
    decisions.init_app(app, decision_store)
    lifecycle.register(app, "suggestion decisions", decision_store.forget_decisions)
    model_cache.init_app(app)
    draft_store = drafts.FleetDrafts(app)
    drafts.init_app(app, draft_store)
    _steps(app, draft_store.expire)
    lifecycle.register(app, "drafts", draft_store.forget_edits)


def _steps(app, *steps):
    """Steps the shipper runs on each pass, after the ones before."""
    shipper.SHIP_STEPS.append(app, *steps)
