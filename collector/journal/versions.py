"""A respondent's edit of a submitted answer: the next version replaces the journal's row under the same id.

The new row is pending again (search mode ships it; the shipper's op never puts back an older version),
its texts are indexed afresh by the triggers, and the codings follow it to its new seq. The versions it
replaced travel inside it (`history`), so wherever the answer lives, its history lives too."""

from collector import journal
from collector.common import clock
from collector.common.slots import Slot

NEW_ANSWER_STATE = Slot("new_answer_state")


def init_app(app, first_state):
    """New answers, and new versions of old ones, start in this state: 'pending' where a shipper sends them on
    to a domain, 'shipped' where the journal is the store (the composition root decides)."""
    NEW_ANSWER_STATE.put(app, first_state)


def new_state():
    """The state a new answer, or an answer's new version, is stored in."""
    return NEW_ANSWER_STATE.of()


class Erased(LookupError):
    """The answer was erased while its edit was being written: nothing was stored."""


def replace(doc, texts=None):
    """Durably store `doc` (its edited_at and history set) as the answer with its id; True once fsync'd."""
    state = new_state()

    def write(db):
        if db.execute("SELECT 1 FROM erased WHERE id = tombstone_key(?)", (doc.meta.id,)).fetchone():
            raise Erased(doc.meta.id)
        old = db.execute("SELECT seq, claimed_until FROM responses WHERE id = ?", (doc.meta.id,)).fetchone()
        if old:
            db.execute("DELETE FROM responses WHERE seq = ?", (old["seq"],))
        # A shipment of the old version may be on its way: this one goes once that lease is over.
        lease = old["claimed_until"] if old and old["claimed_until"] > clock.now() else 0
        seq = journal.insert_row(db, doc, state, texts, next_attempt=lease)
        db.execute("UPDATE codings SET seq = ? WHERE response_id = ?", (seq, doc.meta.id))
        return True

    return journal.WRITER.of().run(write)


def waiting(doc_id):
    """Whether this journal holds the answer's newest version still unshipped (only where answers ship)."""
    row = journal.get_db().execute("SELECT state FROM responses WHERE id = ?", (doc_id,)).fetchone()
    return row is not None and row["state"] == "pending"
