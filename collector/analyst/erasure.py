"""Erasure requests: find a respondent's answers everywhere, remove them, and audit it."""
import logging
import threading

from flask import current_app

import es_client
from collector import journal, workspace
from collector.common import clock, lifecycle
from collector.journal import audit
from collector.search import engines
from collector.search.query import Query
from collector.shipping import outbox, spilling
from models import id_for_receipt

log = logging.getLogger("erasure")
# Safe to repeat: what is left in the index is found again by receipt or by email.
RETRY = "Nothing is lost by trying again: please erase again once the search index answers."
SCRUB_WAITS = ("An export running right now still reads an older copy of the journal: the erased text is "
               "wiped from this server's disk the moment it ends.")


def outcome(count, recheck=False):
    """What to tell whoever erased: how many, whether bytes still wait to be wiped, whether it looks again."""
    done = f"Erased {count} answer{'' if count == 1 else 's'}."
    if recheck:
        done += (f" The index makes answers searchable only after {current_app.config['SEARCH_REFRESH_SECONDS']:g} s:"
                 " it is searched again then, and anything shipped meanwhile is erased too.")
    return f"{done} {SCRUB_WAITS}" if journal.scrub_pending() else done


def find(email=None, receipt=None):
    """Ids of the answers to erase: the receipt's one, or all from an email (journal and index)."""
    if receipt:
        doc_id = id_for_receipt(receipt)
        return [doc_id] if journal.fetch(doc_id) or engines.current().get(doc_id) or spilling.held([doc_id]) else []
    found = set(journal.ids_for_email(email))
    engines.current().settle()  # answers other instances shipped within the refresh interval
    found.update(doc.meta.id for doc in engines.current().scan(Query(email=email)))
    found.update(spilling.held(email=email))
    return sorted(found)


def _emails(doc_ids, email):
    """The addresses to forget with the answers: the one they were erased by; else each answer's own,
    once no other answer still holds it (a saved search by that address then keeps it no longer)."""
    if email:
        return [email]
    docs = [journal.fetch(doc_id) or engines.current().get(doc_id) for doc_id in doc_ids[:100]]
    return [address for address in {doc.email for doc in docs if doc and doc.email}
            if set(find(email=address)) <= set(doc_ids)]


def needs_recheck():
    """True when the engine cannot make recent writes searchable now (Serverless): erasure by email
    must look again once the refresh interval (SEARCH_REFRESH_SECONDS) has passed."""
    return not engines.current().settle()


def recheck(email, actor):
    """Erase what a search by email finds now (answers that were not yet searchable); how many."""
    doc_ids = sorted({doc.meta.id for doc in engines.current().scan(Query(email=email))})
    return erase(doc_ids, actor, "email, re-checked after the refresh interval") if doc_ids else 0


def recheck_later(email, actor):
    """Run recheck after the refresh interval, in a thread of this process (the email is kept in memory only)."""
    app = current_app._get_current_object()

    def run():
        with app.app_context():
            try:
                recheck(email, actor)
            except es_client.DomainUnavailable:
                log.warning("the re-check of an erasure by email could not reach the index: erase again")
    timer = threading.Timer(app.config["SEARCH_REFRESH_SECONDS"], run)
    timer.daemon = True
    timer.start()


def erase(doc_ids, actor, scope, email=None, receipt=None):
    """Remove the answers from every store (common/lifecycle.py lists them); audit who, what kind and how
    many.

    The fleet learns of it first (a tombstone per id, the receipt's, and one for the email): from then on no
    instance ships or drains those answers, even ones this instance never saw, and each instance forgets them
    on its own disk at its next shipper pass. If that fails, nothing was touched. If a later step fails, the
    erasure is recorded and completes later: the shipper runs every store's forget again on its next pass.
    Either way the caller is told to erase again, which is safe."""
    workspace.current().tombstone(sorted({*doc_ids, *([id_for_receipt(receipt)] if receipt else [])}), email)
    db = journal.get_db()
    # kept if the process dies
    entry = audit.log_action(db, actor, "erase", len(doc_ids), scope, status="started")
    try:
        spilled = lifecycle.forget(current_app, doc_ids, _emails(doc_ids, email)).get("spill") or 0
    except es_client.DomainUnavailable:
        outbox.recheck_later(db, doc_ids, clock.now())
        audit.close(db, entry, "completes later")
        raise
    # Serverless: records written just now are not searchable yet
    if doc_ids and not engines.current().settle():
        outbox.recheck_later(db, doc_ids, clock.now() + current_app.config["SEARCH_REFRESH_SECONDS"])
    audit.close(db, entry, "done", f"{scope}; {spilled} from the spill store" if spilled else scope)
    return len(doc_ids)
