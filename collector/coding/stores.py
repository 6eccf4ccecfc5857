"""The coding store: the codebook, codings, bulk batches and saved searches, in one of two homes.

Embedded mode keeps them in the journal's tables (`JournalCoding`, over the SQL in coding/,
batches.py and saved.py). Search mode keeps them in the domain's workspace index (`FleetCoding`),
so every instance of a fleet shares one codebook and outlives none of it. Both answer the same
calls, and tests/coding runs the same tests against both.
"""
import logging

import es_client
from collector import coding, journal, workspace
from collector.coding import batches, hierarchy, keys, memos, names, saved, tree
from collector.coding import merge as merging
from collector.coding import split as splitting
from collector.coding.fleet_batches import FleetBatches
from collector.coding.fleet_codebook import FleetCodebook
from collector.coding.fleet_codings import FleetCodings
from collector.coding.fleet_followups import FleetFollowUps
from collector.coding.fleet_forget import FleetForget
from collector.coding.fleet_memos import FleetMemos
from collector.coding.fleet_merge import FleetMerge, FleetSplit
from collector.coding.fleet_saved import FleetSaved
from collector.coding.fleet_tree import FleetTree
from collector.common import clock, lifecycle
from collector.common.error_pages import UserError
from collector.common.slots import Slot
from collector.search.params import vocabulary

CODING = Slot("coding")

log = logging.getLogger("coding")


def _db():
    return journal.get_db()


def _forward(function):
    """A method calling function with this request's journal first (and its docstring)."""
    def call(self, *args):
        return function(_db(), *args)
    call.__doc__ = function.__doc__
    return call


class JournalCoding:
    """The coding store over this instance's journal: each method is the SQL function of the same name."""

    codebook = _forward(hierarchy.codebook)
    known_names = _forward(coding.known_names)
    codes_for = _forward(coding.codes_for)
    code_tree = _forward(hierarchy.code_tree)
    move_code = _forward(hierarchy.move_code)
    define_code = _forward(hierarchy.define_code)
    add_memo = _forward(memos.add_memo)
    edit_memo = _forward(memos.edit_memo)
    memos_on = _forward(memos.memos_on)
    search_memos = _forward(memos.search_memos)
    find_code = _forward(coding.find_code)
    code_named = _forward(coding.code_named)
    code_by_id = _forward(coding.code_by_id)
    create_code = _forward(coding.create_code)
    edit_code = _forward(coding.edit_code)
    set_key = _forward(keys.set_key)
    delete_code = _forward(coding.delete_code)
    change_codes = _forward(coding.change_codes)
    codings_of = _forward(coding.codings_of)
    codings_for = _forward(coding.codings_for)
    apply = _forward(batches.apply)
    undo = _forward(batches.undo)
    latest_batches = _forward(batches.latest)
    listing = _forward(saved.listing)
    find = _forward(saved.find)
    save = _forward(saved.save)
    delete = _forward(saved.delete)
    merge = _forward(merging.merge)
    undo_merge = _forward(merging.undo)
    split = _forward(splitting.split)
    undo_split = _forward(splitting.undo)
    catch_up = sweep = _forward(saved.catch_up)  # the journal's own answers, each looked at once

    def looks_again_after(self):
        """Never: the journal sees every write at once."""
        return None

    def forget(self, answer_ids, emails=()):
        """Erased answers: the journal's erasure took every coding table's mention of them (wipe.py); searches
        recorded with their email keep it no longer."""
        for email in emails:
            saved.redact_email(_db(), email)
            batches.redact_email(_db(), email)


class FleetCoding(FleetForget, FleetFollowUps, FleetCodebook, FleetTree, FleetCodings, FleetBatches, FleetSaved,
                  FleetMerge, FleetSplit, FleetMemos):
    """The coding store over the domain's workspace records, shared by every instance."""

    def __init__(self, app):
        self.workspace = workspace.of(app)
        self.records = self.workspace.records
        self.every = app.config["AUTOCODE_SECONDS"]
        self.swept = clock.monotonic()  # a new instance sweeps after AUTOCODE_SECONDS, not in its first pass

    def code_named(self, name, codes=None):
        """The code with this name (in `codes` if given), or UserError 404."""
        code = self.find_code(name, codes)
        if code is None:
            raise UserError(f"There is no code called '{str(name)[:names.NAME_MAX]}'.", 404)
        return code

    def sweep(self, db=None):
        """Automatic coding, at most every AUTOCODE_SECONDS in this process (a shipper step, and analyst
        pages); how many codings it made. With the domain down it waits for the next sweep."""
        if clock.monotonic() - self.swept < self.every:
            return 0
        self.swept = clock.monotonic()
        try:
            return self.catch_up()
        except es_client.DomainUnavailable as exc:
            log.warning("automatic coding waits: %s", exc)
            return 0


def init_app(app, store):
    """Keep the app's coding store (built for the mode by the composition root); a query's code= may name the
    codebook's codes (and means each one's family)."""
    CODING.put(app, store)
    lifecycle.register(app, "coding", store.forget)
    vocabulary(app, codes=lambda: tree.query_vocabulary(*current().code_tree()))


def current():
    """The current app's coding store."""
    return CODING.of()


def of(app):
    """An app's coding store (outside a request or app context)."""
    return CODING.of(app)


def code_or_404(code_id):
    """The current store's code with this id, or UserError 404 (a page's link to a code deleted since)."""
    code = current().code_by_id(code_id)
    if code is None:
        raise UserError("There is no such code.", 404)
    return code
