"""The bulk op for an answer that may already be in the index in another version: an edit, or a re-send.

A plain `index` would let an old version that arrives late (a retry whose first try was taken, an
instance's stale row sent again by `ship --all`) overwrite the respondent's edit made on another
instance. This op keeps the newest version as the answer and every version in its history: two
changes made on two instances, each from the version it read, both end up there, in time order. The
sender owns the respondent's words, never what an analyst decided in the index (a spam verdict)."""
from datetime import datetime

import es_client

# Versions are told apart by when they were written (`at`, ISO text as the history keeps it) and
# ordered by it; the history is renumbered after a merge. ctx.op 'none' leaves the document as it is.
# An analyst's spam verdict lives only in the index (spam_verdict_at): the sender's copy never replaces it.
# A version's answers are kept whole in the history: the text the index keeps once in essay (lone_text) too.
NEWER_WINS = """
List merged(def first, def second) {
  Map byAt = new TreeMap();
  for (def v : first) { byAt.put(v.at, v); }
  for (def v : second) { byAt.putIfAbsent(v.at, v); }
  List out = new ArrayList();
  int n = 1;
  for (def v : byAt.values()) { Map c = new HashMap(v); c.version = n; n += 1; out.add(c); }
  return out;
}
Map given(def source) {
  Map a = source.answers == null ? new HashMap() : new HashMap(source.answers);
  if (source.lone_text != null) { a.put(source.lone_text, source.essay); }
  return a;
}
def verdict = ctx._source.spam_verdict_at;
def judged = ctx._source.is_spam;
def have = ctx._source.edited_at;
def held = ctx._source.history == null ? new ArrayList() : ctx._source.history;
def sent = params.doc.history == null ? new ArrayList() : params.doc.history;
if (params.at == null) {
  if (have != null) { ctx.op = 'none'; } else { ctx._source.clear(); ctx._source.putAll(params.doc); }
} else if (have != null && ZonedDateTime.parse(have).toInstant().toEpochMilli() > params.at) {
  List late = new ArrayList(sent);
  late.add(['at': params.at_text, 'answers': given(params.doc)]);
  ctx._source.history = merged(held, late);
} else {
  List before = new ArrayList(held);
  def shown = have == null ? ctx._source.submitted_at : have;
  if (shown != params.at_text) { before.add(['at': shown, 'answers': given(ctx._source)]); }
  ctx._source.clear();
  ctx._source.putAll(params.doc);
  ctx._source.history = merged(sent, before);
}
if (verdict != null && ctx.op != 'none') { ctx._source.spam_verdict_at = verdict; ctx._source.is_spam = judged; }
"""


def needed(row):
    """Whether a journal row must ship guarded: an edit, or a row that was sent before."""
    return bool(row["edited_at"] or row["attempts"])


def bulk_lines(doc_id, source):
    """The two NDJSON lines of an update that puts the answer (as `source`) in place unless the index holds a
    newer edit (and creates it when the index has none); either way no version is lost from the history."""
    edited = datetime.fromisoformat(source["edited_at"]) if source.get("edited_at") else None
    at = int(edited.timestamp() * 1000) if edited else None
    params = {"doc": source, "at": at, "at_text": edited.isoformat() if edited else None}
    action = {"update": {"_id": doc_id, "retry_on_conflict": 3}}  # a code update may land in between
    body = {"script": {"source": NEWER_WINS, "lang": "painless", "params": params}, "upsert": source}
    return f"{es_client.SERIALIZER.dumps(action)}\n{es_client.SERIALIZER.dumps(body)}\n".encode()
