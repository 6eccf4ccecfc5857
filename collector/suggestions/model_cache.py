"""Trained models kept on this instance's disk (DATA_DIR/models), keyed by everything they were trained
on and scored: the web workers of one instance train a model once (the first takes the code's lock, the
others wait for it and read its result), and a restart does not train again. The cache is derived
state: losing it costs one training, never an answer or a decision."""
import fcntl
import hashlib
import json
import os
from pathlib import Path

from collector.common import lifecycle


def key(gathered):
    """A digest of the examples, their labels, the candidates and every text (an edited answer changes it)."""
    digest = hashlib.sha256()
    for part in gathered:
        for item in part:
            digest.update(str(item).encode())
            digest.update(b"\x00")
        digest.update(b"\x01")
    return digest.hexdigest()[:16]


def init_app(app):
    """The cache holds answers' ids and scores: erasures forget it whole, on every instance."""
    folder = Path(app.config["DATA_DIR"]) / "models"
    lifecycle.register(app, "model cache", lambda answer_ids, emails: forget(folder), here=True)


def forget(folder):
    """Drop every kept result (each costs one training again); how many went."""
    kept = list(Path(folder).glob("*.json"))
    for path in kept:
        path.unlink(missing_ok=True)
    return len(kept)


def trained(folder, code_id, gathered, train):
    """The result of train() for these examples: read from the cache, or trained here and kept there."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{code_id}-{key(gathered)}.json"
    with open(folder / f"{code_id}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker training the same code: wait, then read its result
        try:
            if path.exists():
                return json.loads(path.read_text())
            result = train()
            _keep(path, result)
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _keep(path, result):
    """Write the result atomically, and drop the code's older results."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(result))
    os.replace(partial, path)
    code_id = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{code_id}-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
