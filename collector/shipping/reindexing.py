"""`flask reindex`: a new index version with the current mapping, a verified copy, an atomic swap.

The old index is write-blocked for the copy. A copy is a snapshot: anything written to the old
index while it ran (a late answer, an erasure, a code change) would be missing from, or come
back into, the new one. Blocked, those writes fail with `cluster_block_exception`, which the
shipper, the code sync and erasure treat as "try again later": answers wait in the journals,
and an erasure is refused with a clear message. After the swap the old index is deleted, so an
erased answer survives in no index. A run stopped by Ctrl-C unblocks and clears its copy; a killed
one leaves the block: run it again, which clears what it left and copies afresh.
"""
import json

import es_client
from collector.common import clock
from collector.shipping import indices
from models import index_body

BLOCK = "index.blocks.write"
# models.to_index, for documents an earlier release indexed as given: the answer's only text named in
# lone_text (left out of answers), a German or French answer's texts copied under de / fr.
INDEXED_FORM = """
def a = ctx._source.answers; def e = ctx._source.essay;
if (a == null) { return; }
if (ctx._source.lone_text == null && e != null && e != '') {
  def same = []; for (entry in a.entrySet()) { if (entry.getValue() == e) { same.add(entry.getKey()); } }
  if (same.size() == 1) { ctx._source.lone_text = same[0]; a.remove(same[0]); }
}
def lang = a.language;
if (lang == 'de' || lang == 'fr') {
  def texts = [:];
  for (entry in a.entrySet()) {
    if (entry.getValue() instanceof String && entry.getKey() != 'language') { texts[entry.getKey()] = entry.getValue(); }
  }
  ctx._source[lang] = ['essay': e, 'answers': texts];
}
"""
# While the copy runs the new index is not searched: no refreshes and no replicas to write, then restored.
LOADING = {"index.refresh_interval": "-1", "index.number_of_replicas": 0}


class ReindexFailed(RuntimeError):
    """The copy could not be completed (the alias still points to the old index, unblocked again)."""


def reindex(client, alias, field_kinds, progress=lambda status: None, poll=2.0, vectors=False):
    """Block the old index, copy it into the next version, verify, swap the alias, drop the old; (old, new).

    Whatever an earlier run left (it was stopped at any step) is cleared first: its copy task, its new
    index, older versions. Its copy may hold answers changed or erased since: a fresh copy is the only one
    that equals a reindex never interrupted."""
    old = indices.ensure_index(client, alias, field_kinds, vectors)
    new = f"{alias}-v{int(old.rsplit('-v', 1)[1]) + 1}"
    clear_leftovers(client, alias, old, new, poll)
    body = index_body(field_kinds, vectors)
    client.indices.create(index=new, body={**body, "settings": {**body["settings"], **LOADING}})
    client.indices.put_settings(index=old, body={BLOCK: True})
    try:
        client.indices.refresh(index=old)  # a write acknowledged just before the block is in the copy
        copy_until_complete(client, old, new, progress, poll)
        client.indices.put_settings(index=new, body=serving_settings(client, old))
    except BaseException:  # Ctrl-C too: shipping resumes into the old index, and no stale copy is left
        client.indices.put_settings(index=old, body={BLOCK: None})
        clear_leftovers(client, alias, old, new, poll)
        raise
    actions = [{"remove": {"index": old, "alias": alias}}, {"add": {"index": new, "alias": alias}}]
    client.indices.update_aliases(body={"actions": actions})
    clear_leftovers(client, alias, new, None, poll)  # the old version goes, with every erased answer it held
    return old, new


def clear_leftovers(client, alias, keep, new, poll):
    """Stop copies into `new` and delete every version of the index but `keep` (the alias's)."""
    if new:
        for task_id in running_copies(client, new):
            client.tasks.cancel(task_id=task_id)
            follow_task(client, task_id, lambda status: None, poll, cancelled=True)
    versions = client.indices.get_alias(index=f"{alias}-v*")
    for index in sorted(name for name in versions if name != keep):
        client.indices.delete(index=index)


def copy_until_complete(client, old, new, progress, poll, attempts=3):
    """Copy old into new until new holds every answer (a task whose record is gone is checked, and copied again)."""
    for _ in range(attempts):
        task = start_copy(client, old, new)
        response = follow_task(client, task, progress, poll)
        if response is not None and (failures := response.get("failures")):
            raise ReindexFailed(f"the copy task {task} failed: {json.dumps(failures)[:500]}")
        if count(client, new) == count(client, old):
            return
    raise ReindexFailed(f"{new} still lacks answers of {old} after {attempts} copies; the alias was not moved")


def serving_settings(client, old):
    """The refresh interval and replicas the old index served with (the domain's defaults where unset)."""
    found = client.indices.get_settings(index=old, name=list(LOADING), include_defaults=True)[old]
    return {name: _dotted(found.get("settings", {}), name) or _dotted(found.get("defaults", {}), name)
            for name in LOADING}


def _dotted(settings, name):
    """A setting by its dotted name, from settings nested ({"index": {...}}) or flat."""
    for part in name.split("."):
        settings = settings.get(part, {}) if isinstance(settings, dict) else {}
    return settings or None


def start_copy(client, old, new):
    """Start a server-side copy task into the indexed form; its id. Existing documents are kept (op_type create)."""
    body = {"source": {"index": old}, "dest": {"index": new, "op_type": "create"}, "conflicts": "proceed",
            "script": {"source": INDEXED_FORM, "lang": "painless"}}
    return client.reindex(body=body, wait_for_completion=False, refresh=True)["task"]


def running_copies(client, target):
    """The ids of reindex tasks still copying into `target` (left by an interrupted run)."""
    return [task_id for node in client.tasks.list(actions="*reindex", detailed=True).get("nodes", {}).values()
            for task_id, task in node.get("tasks", {}).items() if f"to [{target}]" in task.get("description", "")]


def follow_task(client, task_id, progress, poll, cancelled=False):
    """Poll a task until it completes, reporting its status; its response, or None if its record is gone
    (or it was cancelled, when that was asked)."""
    while True:
        try:
            state = client.tasks.get(task_id=task_id)
        except es_client.NotFoundError:  # finished, and its result was not kept (or the node restarted)
            return None
        progress(state["task"].get("status", {}))
        if state.get("completed"):
            if state.get("error") and not cancelled:
                raise ReindexFailed(f"the copy task {task_id} failed: {json.dumps(state['error'])[:500]}")
            return state.get("response", {})
        clock.sleep(poll)


def count(client, index):
    """How many documents the index holds, every write so far included."""
    client.indices.refresh(index=index)
    return client.count(index=index)["count"]
