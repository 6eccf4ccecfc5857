"""The bulk op for an answer that may already be in the index in another version: an edit, or a re-send.

A plain `index` would let an old version that arrives late (a retry whose first try was taken, an
instance's stale row sent again by `ship --all`) overwrite the respondent's edit made on another
instance. This op replaces the document only when it is not older than what the index holds."""
import es_client

# ctx.op 'none' leaves the document as it is: the index holds a newer edit.
NEWER_WINS = """
def have = ctx._source.edited_at;
if (have != null && (params.at == null || ZonedDateTime.parse(have).toInstant().toEpochMilli() > params.at)) {
  ctx.op = 'none';
} else {
  ctx._source.clear();
  ctx._source.putAll(params.doc);
}
"""


def needed(row):
    """Whether a journal row must ship guarded: an edit, or a row that was sent before."""
    return bool(row["edited_at"] or row["attempts"])


def bulk_lines(doc):
    """The two NDJSON lines of an update that puts `doc` in place unless the index holds a newer edit
    (and creates it when the index has none)."""
    source = doc.to_dict()
    at = int(doc.edited_at.timestamp() * 1000) if doc.edited_at else None
    action = {"update": {"_id": doc.meta.id, "retry_on_conflict": 3}}  # a code update may land in between
    body = {"script": {"source": NEWER_WINS, "lang": "painless", "params": {"doc": source, "at": at}},
            "upsert": source}
    return f"{es_client.SERIALIZER.dumps(action)}\n{es_client.SERIALIZER.dumps(body)}\n".encode()
