"""Training a code's model in the background, with its progress, away from the web workers.

A thread (one per code and app) gathers the examples through the search engine, then hands the
heavy part (fitting, cross-validating, scoring every uncoded answer) to one spawned process, so
neither submits nor analyst pages wait on the CPU. Each instance trains its own model from the
shared codings and decisions (once for all its workers: model_cache.py); a model's version is a
digest of its examples, the same everywhere.
A model is trained again, in the background, once its code's answers or decisions have changed.

Memory is bounded: an instance trains one code at a time (the others queue, and say so), examples
are (id, first TEXT_MAX characters) pairs, never whole answers, and the uncoded answers stream
through the training process in chunks of SCORE_CHUNK (twelve codes at once had grown a worker
from 457 MB to 1.9 GB). The training process ends with the worker that started it.
"""
import atexit
import concurrent.futures
import contextlib
import fcntl
import itertools
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.datastructures import MultiDict

from collector import meaning, workspace
from collector.coding import stores
from collector.common import clock, lazy
from collector.search import engines
from collector.search.params import query_of
from collector.suggestions import MIN_EACH, decisions, model_cache

NEGATIVES_MAX = 20_000
CANDIDATES_MAX = 200_000
TEXT_MAX = 2000
SCORE_CHUNK = 5000
# imported in the training process only: scikit-learn stays out of web workers
MODEL = "collector.suggestions.model"
_lock = threading.Lock()
_jobs = {}
_pool = []


@dataclass
class Job:
    """One training: its state for people to read, and its result once there."""

    fingerprint: tuple
    state: str = "starting"
    started: float = field(default_factory=lambda: clock.monotonic())
    result: dict = None
    done: bool = False


def pool():
    """The one training process (spawned: no copy of a web worker's threads or sockets)."""
    with _lock:
        if not _pool:
            _pool.append(concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                                initializer=die_with, initargs=(os.getpid(),)))
            # Shut it down while the interpreter still works: left to finalisation, its callback found
            # multiprocessing gone and printed a traceback at every exit.
            atexit.register(_pool[0].shutdown, wait=False, cancel_futures=True)
        return _pool[0]


def die_with(parent):
    """In the training process: end as soon as the worker that started it is gone (a worker killed by
    SIGTERM had left its training running on for 21 minutes)."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="die-with-parent").start()


def _pairs(pairs, limit):
    """(id, text) of the answers a search finds, at most limit, each text cut to TEXT_MAX characters."""
    found = engines.current().scan(query_of(MultiDict(pairs), per_page=1))
    return [(doc.meta.id, (doc.essay or "")[:TEXT_MAX]) for doc in itertools.islice(found, limit)]


def examples(code, others):
    """(ids, texts, labels) for a code (others: the other codes' names). Positives: the answers with the
    code (or a code under it). Negatives: answers an analyst gave another code but not this one (at most
    NEGATIVES_MAX in all), and suggestions rejected."""
    decided = decisions.current().decided(code["id"])
    positives = dict(_pairs([("code", code["name"])], CANDIDATES_MAX))
    negatives = {}
    for other in others:
        room = NEGATIVES_MAX - len(negatives)
        negatives.update(_pairs([("code", other), ("code", f"-{code['name']}")], room) if room > 0 else [])
    for answer, accepted in decided.items():
        if not accepted and answer not in negatives and answer not in positives:
            doc = engines.current().get(answer)
            negatives.update({answer: (doc.essay or "")[:TEXT_MAX]} if doc else {})
    chosen = [*positives.items(), *negatives.items()]
    return [i for i, _ in chosen], [t for _, t in chosen], [1] * len(positives) + [0] * len(negatives)


def candidates(code, labelled, chunk=SCORE_CHUNK):
    """Chunks of [(id, text)]: every answer without the code and not labelled yet (at most CANDIDATES_MAX)."""
    found = engines.current().scan(query_of(MultiDict([("code", f"-{code['name']}")]), per_page=1))
    pairs = ((doc.meta.id, (doc.essay or "")[:TEXT_MAX]) for doc in itertools.islice(found, CANDIDATES_MAX)
             if doc.meta.id not in labelled)
    while batch := list(itertools.islice(pairs, chunk)):
        yield batch


def fingerprint(code):
    """What a model depends on, cheaply: the answers with the code, how many each other code has (its
    negatives come from them), the decisions on it, and erasures (an erased answer leaves the scores)."""
    total = engines.current().search(query_of(MultiDict([("code", code["name"])]), per_page=1)).total
    others = tuple(sorted((str(row["id"]), row["answers"]) for row in stores.current().codebook()))
    decided = tuple(sorted(decisions.current().decided(code["id"]).items()))
    return total, others, decided, workspace.current().erasures()


def waiting(labels):
    """What a code lacks for a model, in numbers, and what counts as an answer without it."""
    return (f"waiting for examples: {labels.count(1):,} answers with the code and {labels.count(0):,} without "
            f"(at least {MIN_EACH} of each; 'without' means answers an analyst gave another code but not "
            "this one, or suggestions you rejected)")


def _run(app, job, code, others):
    try:
        with one_at_a_time(app, job), app.app_context():
            job.state = "gathering the coded answers"
            ids, texts, labels = examples(code, others)
            enough = min(labels.count(0), labels.count(1)) >= MIN_EACH  # else no process is worth starting
            job.state = f"training on {len(ids):,} examples, then scoring the answers without the code"
            job.result = _trained(app, code, (ids, texts, labels)) if enough else None
        job.state = "ready" if job.result else waiting(labels)
    except Exception as exc:  # noqa: BLE001 - a failed training is shown, and tried again on the next look
        job.state = f"training failed: {exc}"
    finally:
        job.done = True


@contextlib.contextmanager
def one_at_a_time(app, job):
    """Hold this instance's training lock for one job: every worker's threads queue on one file."""
    path = Path(app.config["DATA_DIR"]) / "models" / "training.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:
        job.state = "queued: this instance trains one code at a time"
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _trained(app, code, examples_):
    """The code's model for these examples: this instance's cached one, or fitted in the training process."""
    labelled = set(examples_[0]) | set(decisions.current().decided(code["id"]))
    stream = (part for chunk in candidates(code, labelled) for pair in chunk for part in pair)
    # a server that gains the model trains again
    features = ["words and meaning" if meaning.available(app) else "words"]
    return model_cache.trained(Path(app.config["DATA_DIR"]) / "models", code["id"], (*examples_, features, stream),
                               lambda: _fit_and_score(code, examples_, labelled))


def _fit_and_score(code, examples_, labelled):
    """Train in the training process, then send it the uncoded answers chunk by chunk to score."""
    result = pool().submit(lazy.call, MODEL, "train", *examples_, meaning.MODEL.find()).result()
    if result is None:
        return None
    scores = []
    for chunk in candidates(code, labelled):
        scored = pool().submit(lazy.call, MODEL, "score", result["version"], [text for _, text in chunk]).result()
        scores.extend(zip((answer for answer, _ in chunk), scored))
    return {**result, "scores": scores}


def current(app, code, others):
    """The code's latest finished job (or None), and the one running; starts one when the examples changed."""
    key = (id(app), str(code["id"]))
    now_is = fingerprint(code)
    with _lock:
        latest, running = _jobs.get(key, (None, None))
        if running is not None and running.done:
            latest, running = running, None
        if running is None and (latest is None or latest.fingerprint != now_is):
            running = Job(now_is)
            threading.Thread(target=_run, args=(app, running, code, others), daemon=True).start()
        _jobs[key] = (latest, running)
    return latest, running
