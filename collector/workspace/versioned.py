"""Changes to workspace records that lose nothing when instances write at once.

A change reads records in real time, computes their new sources, and writes each back only if
it is still the version read (if_seq_no/if_primary_term), or creates it only if it is still
missing (op_type=create). Where another writer got there first the domain answers 409, and the
change is computed again on what that writer left: never last-writer-wins by accident.
"""
import copy
import json

import es_client

ATTEMPTS = 25  # rounds of conflicts before the analyst is told the workspace is too busy


def _lines(record_id, source, version):
    action = {"_id": record_id}
    if version:
        action["if_seq_no"], action["if_primary_term"] = version
    return f"{json.dumps({'index' if version else 'create': action})}\n{json.dumps(source)}\n".encode()


def change_many(records, record_ids, change):
    """Apply change(id, source or None) -> new source or None (no change) to each record, safely; returns
    ({id: source afterwards, None if missing}, [ids this call changed]). Searchable when it returns."""
    after = {}
    changed = []
    pending = list(dict.fromkeys(record_ids))
    for _ in range(ATTEMPTS):
        found = records.versioned(pending)
        lines = []
        wanted = []
        for record_id in pending:
            source, version = found.get(record_id, (None, None))
            new = change(record_id, copy.deepcopy(source))
            after[record_id] = source if new is None else new
            if new is not None and new != source:
                lines.append(_lines(record_id, new, version))
                wanted.append(record_id)
        items = records.bulk(b"".join(lines), refresh=True) if lines else []
        pending = [record_id for record_id, (status, _) in zip(wanted, items) if status == 409]
        changed += [record_id for record_id, (status, _) in zip(wanted, items) if status in (200, 201)]
        failed = [status for status, _ in items if status not in (200, 201, 409)]
        if failed:
            message = f"The workspace in the search domain refused {len(failed)} change(s) ({failed[0]})."
            raise es_client.DomainUnavailable(message)
        if not pending:
            return after, changed
    raise es_client.DomainUnavailable("The workspace is changing too fast to save this; try again in a moment.")


def change_one(records, record_id, change):
    """change_many for one record: (its source afterwards, whether this call changed it)."""
    after, changed = change_many(records, [record_id], lambda _, source: change(source))
    return after[record_id], bool(changed)
