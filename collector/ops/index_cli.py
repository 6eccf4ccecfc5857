"""The search index's commands: init-index, reindex, ship (search mode only)."""
import functools
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

import es_client
from collector import journal
from collector.coding import index_sync
from collector.common import clock
from collector.journal import mode
from collector.shipping import indices, outbox, reindexing, shipper, spilling
from collector.shipping.hints import forbidden_hint
from collector.shipping.spill import StoreUnavailable
from collector.surveys import catalog


def _search_client():
    if mode.current().embedded:
        raise click.UsageError("SEARCH_URL is not set: embedded mode has no index to manage.")
    return es_client.get_client(current_app), current_app.config["SEARCH_INDEX"]


def domain_errors(command):
    """A refusal or an outage of the domain ends the command with what happened and what to do, not a traceback."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except es_client.TransportError as exc:
            status = es_client.status_of(exc)
            hint = forbidden_hint(current_app.config) if status == 403 else "Nothing was changed after it."
            raise click.ClickException(f"The search domain answered {status or 'nothing'} "
                                       f"({getattr(exc, 'error', exc)}). {hint}") from None
    return run


@click.command("init-index")
@with_appcontext
@domain_errors
def init_index():
    """Create <alias>-v1 with the mapping and point the alias at it; add new questions' fields (idempotent)."""
    client, alias = _search_client()
    was_there = indices.current_index(client, alias)
    index, added, conflicting = indices.prepare_index(client, alias, catalog().field_kinds(),
                                                      indices.wants_vectors(current_app.config))
    click.echo(f"{alias} -> {index}")
    shipped = outbox.shipped_count(journal.get_db())
    if not was_there and shipped:  # e.g. answers taken in embedded mode, stored as already indexed
        click.echo(f"This journal holds {shipped} answer(s) that this new index has never seen: "
                   "run `flask --app application ship --all` to send them.")
    if added:
        click.echo(f"added answer fields: {', '.join(added)}")
    if conflicting:
        raise click.ClickException(f"these fields changed since the index was made (their kind, or a sub-field: "
                                   f".plain for prefix search): "
                                   f"{', '.join(conflicting)}. Run reindex to build an index with the new mapping.")


@click.command("reindex")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks at the copy task.")
@with_appcontext
@domain_errors
def reindex(poll):
    """Copy into a new index version with the current mapping and swap the alias (safe to run again after any stop)."""
    client, alias = _search_client()
    if current_app.config["SEARCH_SERVICE"] == "aoss":
        raise click.ClickException(
            "OpenSearch Serverless has no _reindex or _tasks API, so nothing was changed. To rebuild: point "
            "SEARCH_URL at a new collection, run init-index, then `ship --all` on every instance.")

    def report(status):
        if status.get("total"):
            done = sum(status.get(k, 0) for k in ("created", "updated", "version_conflicts", "noops"))
            click.echo(f"copied {done} of {status['total']}", err=True)
    try:
        old, new = reindexing.reindex(client, alias, catalog().field_kinds(), report, poll,
                                      indices.wants_vectors(current_app.config))
    except reindexing.ReindexFailed as exc:
        raise click.ClickException(str(exc)) from None
    db = journal.get_db()
    index_sync.make_due(db)  # code changes held back (and backing off) while the old index was blocked
    while index_sync.waiting(db) and index_sync.push(current_app, db):
        pass
    click.echo(f"{alias}: {old} -> {new}")


@click.command("ship")
@click.option("--dead", is_flag=True, help="List dead letters instead of shipping.")
@click.option("--all", "everything", is_flag=True,
              help="Send every answer in this journal again (after switching from embedded mode, or to a new domain).")
@click.option("--spilled", is_flag=True, help="Drain the spill store (answers any instance spilled) instead.")
@click.option("--timeout", default=300.0, show_default=True, help="Give up after this many seconds.")
@with_appcontext
def ship(dead, everything, spilled, timeout):
    """Drain the journal into the index now; exits 1 if anything is left or dead."""
    client, alias = _search_client()
    db = journal.get_db()
    if spilled:
        return _drain_spilled(db)
    if everything:
        click.echo(f"queued {outbox.requeue_all(db)} answer(s) to send again: every answer this journal holds "
                   "that was not already waiting to ship")
    if dead:
        for row in outbox.dead_letters(db):
            click.echo(f"{row['id']}\tattempts={row['attempts']}\t{row['last_error']}")
    elif everything:
        with indices.backfilling(client, alias):
            _drain(db, timeout)
    else:
        _drain(db, timeout)
    left = journal.counts()
    if left["pending"] or left["dead"]:
        click.echo(f"{left['pending']} pending, {left['dead']} dead letters "
                   "(see: ship --dead)", err=True)
        sys.exit(1)


def _drain(db, timeout):
    with click.progressbar(length=journal.counts()["pending"], label="Shipping", file=sys.stderr) as bar:
        total = shipper.SHIPPER.of().drain(db, clock.now() + timeout, bar.update)
    click.echo(f"shipped {total.shipped}, dead {total.dead}" + (f", last error {total.error}" if total.error else ""))


def _drain_spilled(db):
    spill = spilling.SPILLING.find()
    if not spill:
        raise click.ClickException("No spill store: set SPILL_URL (s3://<bucket>/<prefix>).")
    try:
        waiting = spill.store.count(max_age=0)
        with click.progressbar(length=waiting or 0, label="Draining the spill store", file=sys.stderr) as bar:
            total = spill.drainer.drain_all(db, bar.update)
        left = spill.store.count(max_age=0)
    except StoreUnavailable as exc:
        raise click.ClickException(f"{exc}; nothing was lost, run it again later.") from None
    click.echo(f"shipped {total.shipped}, dead {total.dead}, still spilled {left}"
               + (f", last error {total.error}" if total.error else ""))
    if left:
        sys.exit(1)
