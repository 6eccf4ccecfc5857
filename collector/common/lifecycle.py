"""Lifecycle duties: every store that can hold any part of an answer (its text, email, id, codes, memos,
decisions, drafts, spill objects, model caches, old index versions) registers a `forget` here, and an
erasure calls each of them in the order they registered (redash's query_runner.register() is the model).

A store on this instance's own disk registers with `here=True`: the instance that erases forgets it at
once, and every other instance again when its shipper learns of the erasure from the fleet's tombstones
(it passes the ids it holds, none when it holds none: a cache then goes whole). A shared store (the
domain's workspace, the index, the spill bucket) is forgotten once, by the instance that erases.
"""
from typing import Callable, NamedTuple

from collector.common.slots import Slot

FORGETTERS = Slot("forgetters")
WORKER_EXIT = Slot("worker_exit")


class Forgetter(NamedTuple):
    """One registered store: its name, forget(answer_ids, emails), and whether it lives on this instance."""

    name: str
    forget: Callable
    here: bool


def register(app, name, forget, here=False):
    """Add a store's forget(answer_ids, emails) to the app's list; a name registers once."""
    found = FORGETTERS.update(app, {})
    if name in found:
        raise ValueError(f"a store called {name!r} registered its forget already")
    found[name] = Forgetter(name, forget, here)


def forgetters(app, here_only=False):
    """The app's registered stores, in the order they registered."""
    return [f for f in FORGETTERS.find(app, {}).values() if f.here or not here_only]


def forget(app, answer_ids, emails=(), here_only=False):
    """Call every registered forget (or this instance's own only); {store name: what its forget returned}."""
    return {store.name: store.forget(list(answer_ids), [email for email in emails if email])
            for store in forgetters(app, here_only)}
