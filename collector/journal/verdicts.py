"""Analysts' spam verdicts: set by hand, they replace the spam filter's in the journal's row, so the
spam filter of searches and the dashboard's counts follow them (and a later shipment carries them)."""
from collector.journal import get_db
from collector.journal.writes import transaction


def mark_spam(doc_ids, is_spam):
    """Set these answers' spam flag as an analyst decided; how many of them this journal holds."""
    db = get_db()
    with transaction(db):
        return sum(db.execute("UPDATE responses SET is_spam = ? WHERE id = ?", (int(is_spam), doc_id)).rowcount
                   for doc_id in doc_ids)
