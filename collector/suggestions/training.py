"""Training a code's model in the background, with its progress, away from the web workers.

A thread (one per code and app) gathers the examples through the search engine, then hands the
heavy part (fitting, cross-validating, scoring every uncoded answer) to one spawned process, so
neither submits nor analyst pages wait on the CPU. Each instance trains its own model from the
shared codings and decisions (once for all its workers: model_cache.py); a model's version is a
digest of its examples, the same everywhere.
A model is trained again, in the background, once its code's answers or decisions have changed.
"""
import concurrent.futures
import itertools
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.datastructures import MultiDict

from collector import workspace
from collector.search import engines
from collector.search.params import query_of
from collector.suggestions import decisions, model, model_cache

NEGATIVES_MAX, CANDIDATES_MAX = 20_000, 200_000
_lock, _jobs, _pool = threading.Lock(), {}, []


@dataclass
class Job:
    """One training: its state for people to read, and its result once there."""

    fingerprint: tuple
    state: str = "gathering the coded answers"
    started: float = field(default_factory=time.monotonic)
    result: dict = None
    done: bool = False


def pool():
    """The one training process (spawned: no copy of a web worker's threads or sockets)."""
    with _lock:
        if not _pool:
            _pool.append(concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")))
        return _pool[0]


def _docs(pairs, limit):
    return list(itertools.islice(engines.current().scan(query_of(MultiDict(pairs), per_page=1)), limit))


def examples(code, others):
    """(ids, texts, labels, candidate ids, candidate texts) for a code (others: the other codes' names).
    Positives: the answers with the code (or a code under it). Negatives: answers an analyst gave another
    code but not this one, and suggestions rejected. Candidates: every other answer not decided yet."""
    decided = decisions.current().decided(code["id"])
    positives = _docs([("code", code["name"])], CANDIDATES_MAX)
    taken, negatives = {d.meta.id for d in positives}, {}
    for other in others:
        negatives.update((d.meta.id, d) for d in _docs([("code", other), ("code", f"-{code['name']}")], NEGATIVES_MAX))
    for answer, accepted in decided.items():
        if not accepted and answer not in negatives and answer not in taken:
            negatives[answer] = engines.current().get(answer)
    chosen = positives + [d for d in negatives.values() if d is not None]
    labelled = {d.meta.id for d in chosen} | set(decided)
    candidates = [d for d in _docs([("code", f"-{code['name']}")], CANDIDATES_MAX) if d.meta.id not in labelled]
    labels = [1] * len(positives) + [0] * (len(chosen) - len(positives))
    return ([d.meta.id for d in chosen], [d.essay or "" for d in chosen], labels,
            [d.meta.id for d in candidates], [d.essay or "" for d in candidates])


def fingerprint(code):
    """What a model depends on, cheaply: the answers with the code, the decisions on it, and erasures (an
    erased answer leaves the scores)."""
    total = engines.current().search(query_of(MultiDict([("code", code["name"])]), per_page=1)).total
    return total, tuple(sorted(decisions.current().decided(code["id"]).items())), workspace.current().erasures()


def _run(app, job, code, others):
    try:
        with app.app_context():
            gathered = examples(code, others)
        job.state = f"training on {len(gathered[0]):,} examples, then scoring {len(gathered[3]):,} answers"
        labels = gathered[2]
        enough = min(labels.count(0), labels.count(1)) >= model.MIN_EACH  # else no process is worth starting
        job.result = _trained(app, code, gathered) if enough else None
        job.state = "ready" if job.result else f"waiting for {model.MIN_EACH} answers with the code and as many without"
    except Exception as exc:  # noqa: BLE001 - a failed training is shown, and tried again on the next look
        job.state = f"training failed: {exc}"
    finally:
        job.done = True


def _trained(app, code, gathered):
    """The code's model for these examples: this instance's cached one, or fitted in the training process."""
    return model_cache.trained(Path(app.config["DATA_DIR"]) / "models", code["id"], gathered,
                               lambda: pool().submit(model.train_and_score, *gathered).result())


def current(app, code, others):
    """The code's latest finished job (or None), and the one running; starts one when the examples changed."""
    key, now_is = (id(app), str(code["id"])), fingerprint(code)
    with _lock:
        latest, running = _jobs.get(key, (None, None))
        if running is not None and running.done:
            latest, running = running, None
        if running is None and (latest is None or latest.fingerprint != now_is):
            running = Job(now_is)
            threading.Thread(target=_run, args=(app, running, code, others), daemon=True).start()
        _jobs[key] = (latest, running)
    return latest, running
