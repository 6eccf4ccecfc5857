"""Streaming CSV and NDJSON of answers; CSV cells cannot start a spreadsheet formula."""
import csv
import itertools
import json

from collector.common.cells import neutralize
from collector.surveys import CLIENT_COLUMNS, EXPORT_COLUMNS, OTHER_COLUMN

BASE, CLIENT, OTHER = EXPORT_COLUMNS, CLIENT_COLUMNS, OTHER_COLUMN  # the client's: only when asked for


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


def with_codes(docs, codes_for, batch=500):
    """The docs, each given .codes from codes_for([ids]) (the journal's codings), in batches."""
    docs = iter(docs)
    while chunk := list(itertools.islice(docs, batch)):
        found = codes_for([doc.meta.id for doc in chunk])
        for doc in chunk:
            doc.codes = found.get(doc.meta.id, [])
        yield from chunk


def without_emails(docs):
    """The docs with their respondents' addresses left out (for a viewer's export)."""
    for doc in docs:
        doc.email = None
        yield doc


def columns(fields, client=False):
    """The export's columns: the fixed ones (the client's address and browser if asked for), one per
    question and hidden field, then the rest."""
    return BASE + (CLIENT if client else []) + list(fields) + [OTHER]


def _flat(value):
    """A multi-choice answer as one cell: options joined by '; '."""
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def as_row(doc, fields):
    """One answer as a flat dict of export columns."""
    answers = doc.answers.to_dict() if doc.answers else {}
    row = {
        "id": doc.meta.id,
        "receipt": doc.receipt,
        "submitted_at": doc.submitted_at.isoformat(),
        "edited_at": doc.edited_at.isoformat() if doc.edited_at else None,
        "version": len(doc.history or []) + 1,
        "survey": doc.survey,
        "survey_version": doc.survey_version,
        "email": doc.email,
        "is_spam": bool(doc.is_spam),
        "spam_score": doc.spam_score,
        "tags": list(doc.tags or []),
        "codes": list(doc.codes or []),
        "client_ip": str(doc.client_ip) if doc.client_ip else None,
        "user_agent": doc.user_agent,
    }
    row.update({name: _flat(answers.get(name)) for name in fields})
    row[OTHER] = {name: value for name, value in answers.items() if name not in row}
    return row


class _Line:
    """A file-like target that hands back what csv.writer writes."""

    def write(self, text):
        """Hand the line back instead of writing it anywhere."""
        return text


def csv_lines(docs, fields, client=False, labels=None):
    """Yield the CSV header, then one line per answer. With labels ({column: how it reads}), for Excel:
    a byte order mark so it reads UTF-8, and a second header row of question labels."""
    writer = csv.writer(_Line())
    names = columns(fields, client)
    yield ("\ufeff" if labels else "") + writer.writerow(names)
    if labels:
        yield writer.writerow([neutralize(labels.get(name, "")) for name in names])
    for doc in docs:
        row = as_row(doc, fields)
        row["is_spam"] = int(row["is_spam"])  # 1/0: a number every statistics package reads
        row["tags"] = ",".join(row["tags"])
        row["codes"] = "; ".join(row["codes"])
        row[OTHER] = json.dumps(row[OTHER], ensure_ascii=False) if row[OTHER] else ""
        yield writer.writerow([neutralize(row[c]) for c in names])


def ndjson_lines(docs, fields, client=False, labels=None):
    """Yield one JSON object per line (labels are for spreadsheets: not used)."""
    names = set(columns(fields, client))
    for doc in docs:
        yield json.dumps({k: v for k, v in as_row(doc, fields).items() if k in names}, ensure_ascii=False) + "\n"


# Flask adds the charset
FORMATS = {"csv": (csv_lines, "text/csv"), "ndjson": (ndjson_lines, "application/x-ndjson")}
