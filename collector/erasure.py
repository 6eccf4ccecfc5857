"""Erasure requests: find a respondent's answers everywhere, remove them, and audit it."""
from collector import journal, spilling
from collector.audit import log_action
from collector.search import engines
from collector.search.model import Query
from models import id_for_receipt

# Safe to repeat: what is left in the index is found again by receipt or by email.
RETRY = "Nothing is lost by trying again: please erase again once the search index answers."
SCRUB_WAITS = ("An export running right now still reads an older copy of the journal: the erased text is "
               "wiped from this server's disk the moment it ends.")


def outcome(count):
    """What to tell whoever erased: how many, and whether bytes still wait to be wiped."""
    done = f"Erased {count} answer{'' if count == 1 else 's'}."
    return f"{done} {SCRUB_WAITS}" if journal.scrub_pending() else done


def find(email=None, receipt=None):
    """Ids of the answers to erase: the receipt's one, or all from an email (journal and index)."""
    if receipt:
        doc_id = id_for_receipt(receipt)
        return [doc_id] if journal.fetch(doc_id) or engines.current().get(doc_id) or spilling.held([doc_id]) else []
    found = set(journal.ids_for_email(email))
    found.update(doc.meta.id for doc in engines.current().scan(Query(email=email)))
    found.update(spilling.held(email=email))
    return sorted(found)


def erase(doc_ids, actor, scope):
    """Remove the answers from every store; audit who, what kind and how many (not whose)."""
    spilled = 0
    if doc_ids:
        engines.current().delete(doc_ids)
        spilled = spilling.erase(doc_ids)
    scope = f"{scope}; {spilled} from the spill store" if spilled else scope
    log_action(journal.get_db(), actor, "erase", len(doc_ids), scope)
    return len(doc_ids)
