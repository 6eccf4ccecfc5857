"""Analysts' memos in the journal (embedded mode; search mode: fleet_memos.py): on a code or on an
answer, dated, by author, editable by any analyst (who edited it last is kept), and searchable."""
import itertools

from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit
from collector.journal.writes import transaction
from collector.search.distinctive import fold as plain

TEXT_MAX = 5000
LISTED = 200


def checked_text(text):
    """A memo's text, stripped; UserError 400 when empty or too long."""
    text = str(text or "").strip() if isinstance(text, (str, type(None))) else None
    if not text or len(text) > TEXT_MAX:
        raise UserError(f"A memo needs 1 to {TEXT_MAX:,} characters of text.")
    return text


def as_memo(row):
    """A memos row as the stores give a memo."""
    return dict(row)


def add_memo(db, target, text, actor):
    """Write a memo on a target ('code:<id>' or 'answer:<id>'); the memo."""
    text = checked_text(text)
    with transaction(db):
        memo = db.execute("INSERT INTO memos (target, body, author, created_at) VALUES (?, ?, ?, ?) RETURNING *",
                          (target, text, actor, clock.stamp())).fetchone()
        audit.log_action(db, actor, "memo.add", 1, target.partition(":")[0])
    return as_memo(memo)


def edit_memo(db, memo_id, text, actor):
    """Change a memo's text; the memo afterwards, or UserError 404."""
    text = checked_text(text)
    with transaction(db):
        memo = db.execute("UPDATE memos SET body = ?, edited_at = ?, edited_by = ? WHERE id = ? RETURNING *",
                          (text, clock.stamp(), actor, memo_id)).fetchone()
        if memo is None:
            raise UserError("There is no such memo.", 404)
        audit.log_action(db, actor, "memo.edit", 1, memo["target"].partition(":")[0])
    return as_memo(memo)


def memos_on(db, target):
    """A target's memos, oldest first."""
    return [as_memo(row) for row in db.execute("SELECT * FROM memos WHERE target = ? ORDER BY id", (target,))]


def search_memos(db, words):
    """The latest memos holding every one of the words (any case or accents, within words too), newest first."""
    words = [plain(word) for word in str(words or "").split()[:10]]
    found = (row for row in db.execute("SELECT * FROM memos ORDER BY id DESC")
             if all(word in plain(row["body"]) for word in words))
    return [as_memo(row) for row in itertools.islice(found, LISTED)]
