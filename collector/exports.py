"""Streaming CSV and NDJSON of answers; CSV cells cannot start a spreadsheet formula."""
import csv
import json

COLUMNS = ["id", "receipt", "submitted_at", "email", "is_spam", "spam_score", "tags", "client_ip",
           "user_agent", "essay"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Counted:
    """An iterator over items that counts how many it has handed out so far."""

    def __init__(self, items):
        self._items = iter(items)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        item = next(self._items)
        self.count += 1
        return item


def neutralize(value):
    """Prefix a quote to text a spreadsheet would run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_row(doc):
    """One answer as a flat dict of export columns."""
    return {
        "id": doc.meta.id,
        "receipt": doc.receipt,
        "submitted_at": doc.submitted_at.isoformat(),
        "email": doc.email,
        "is_spam": bool(doc.is_spam),
        "spam_score": doc.spam_score,
        "tags": list(doc.tags or []),
        "client_ip": str(doc.client_ip) if doc.client_ip else None,
        "user_agent": doc.user_agent,
        "essay": doc.essay,
    }


class _Line:
    """A file-like target that hands back what csv.writer writes."""

    def write(self, text):
        return text


def csv_lines(docs):
    """Yield the CSV header, then one line per answer."""
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for doc in docs:
        row = as_row(doc)
        row["tags"] = ",".join(row["tags"])
        yield writer.writerow([neutralize(row[c]) for c in COLUMNS])


def ndjson_lines(docs):
    """Yield one JSON object per line."""
    for doc in docs:
        yield json.dumps(as_row(doc), ensure_ascii=False) + "\n"


FORMATS = {"csv": (csv_lines, "text/csv; charset=utf-8"), "ndjson": (ndjson_lines, "application/x-ndjson")}
