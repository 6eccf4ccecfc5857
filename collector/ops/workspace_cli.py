"""`flask workspace migrate`: copy what this instance's journal holds of the fleet's shared state into the domain."""
import click
from flask import current_app
from flask.cli import with_appcontext

import es_client
from collector import journal, workspace
from collector.coding import fleet_migrate, fleet_migrate_history, index_sync, stores
from collector.journal import audit, mode, wipe
from collector.reliability import fleet_migrate as fleet_migrate_rounds
from collector.suggestions import decisions

CHUNK = 500


@click.group("workspace")
def group():
    """The analysts' shared state (sessions, erasures, caps, the audit log, the codebook and codings)."""


@group.command("migrate")
@with_appcontext
def migrate():
    """Copy everything an analyst made in this journal into the domain: erasures, the audit log, the codebook
    (tree, definitions), codings, bulk batches, merges and splits (with their undo), saved searches, memos,
    reliability rounds and suggestion decisions; safe to repeat, or to run again after a failure, from every
    instance."""
    if mode.current().embedded:
        raise click.ClickException("In embedded mode the workspace is this journal: there is nothing to move. "
                                   "Set SEARCH_URL to the domain first.")
    db = journal.get_db()
    store = workspace.current()
    try:
        erased = wipe.erased_keys(db)
        for start in range(0, len(erased), CHUNK):
            store.tombstone([], keys=erased[start:start + CHUNK])
        sent = _ship_audit(db, store)
        copied = _copy_work(db, stores.current())
        store.settle()  # the next page searches what was copied (a domain that can refresh now)
    except es_client.DomainUnavailable as exc:
        raise click.ClickException(f"{exc} Nothing is lost: run it again once the domain answers.") from None
    click.echo(f"Erasures: {len(erased)} recorded for the fleet. Audit entries: {sent} sent "
               f"({current_app.config['SEARCH_INDEX']}-workspace).")
    click.echo("Coding, merged by name: " + ", ".join(f"{count} {what}" for what, count in copied.items()) + ".")
    click.echo("Next: `flask ship --all` sends this journal's answers to the index (safe to repeat).")


def _copy_work(db, coding):
    """The analysts' work, part by part (each safe to repeat); {what: how many of this journal's}."""
    migration = fleet_migrate.CodingMigration(db, coding)
    copied = migration.run()
    copied.update(fleet_migrate_history.migrate_history(migration))
    copied["rounds"] = fleet_migrate_rounds.migrate_rounds(db, coding.records, migration.code)
    copied["suggestion decisions"] = decisions.migrate_decisions(db, coding.records, migration.code)
    return copied


@group.command("sync-codes")
@with_appcontext
def sync_codes():
    """Send every coded answer's codes from the workspace to the index again (say, after an instance
    stopped before its queued updates went out, or after a restore); safe to repeat."""
    if mode.current().embedded:
        raise click.ClickException("In embedded mode there is no index to bring up to date.")
    db = journal.get_db()
    try:
        answers = list(stores.current().answers_with("kind", "codings"))
        index_sync.queue_ids(db, answers)
        while index_sync.waiting(db) and index_sync.push(current_app, db):
            pass
    except es_client.DomainUnavailable as exc:
        raise click.ClickException(f"{exc} What is queued goes out with the shipper, or run it again.") from None
    click.echo(f"{len(answers)} coded answer(s) sent to the index; {index_sync.waiting(db)} wait for a later pass.")


def _ship_audit(db, store):
    """Send every audit entry the domain lacks; how many were sent."""
    sent = 0
    while audit.unshipped(db, 1):
        count = store.ship_audit(db)
        if not count:
            raise es_client.DomainUnavailable("The domain did not take the audit entries.")
        sent += count
    return sent
