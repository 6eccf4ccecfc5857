"""Item-level bulk rejections, as a throttled domain sends them: some items 429, the rest done."""
import json


def split_items(body):
    """A bulk body as [item bytes] (an action line, plus its source line where it has one)."""
    lines = [line for line in body.split(b"\n") if line.strip()]
    items, n = [], 0
    while n < len(lines):
        takes_source = next(iter(json.loads(lines[n]))) in ("index", "create", "update")
        width = 2 if takes_source else 1
        items.append(b"\n".join(lines[n:n + width]) + b"\n")
        n += width
    return items


def reject_items(body, faults_for, forward):
    """Forward the items the throttle lets through; answer 429 in place of the others."""
    items = split_items(body)
    faults = faults_for(len(items))
    passed = b"".join(item for item, fault in zip(items, faults) if not fault)
    answers, status, headers = iter(()), 200, {"Content-Type": "application/json"}
    if passed:
        status, headers, out = forward(passed)
        if status != 200:
            return status, headers, out
        answers = iter(json.loads(out)["items"])
    merged = [_rejected(item) if fault else next(answers) for item, fault in zip(items, faults)]
    return 200, headers, json.dumps({"took": 1, "errors": True, "items": merged}).encode()


def _rejected(item):
    (kind, spec), = json.loads(item.split(b"\n")[0]).items()
    error = {"type": "es_rejected_execution_exception", "reason": "rejected execution of coordinating operation"}
    return {kind: {"_index": spec.get("_index"), "_id": spec.get("_id"), "status": 429, "error": error}}
