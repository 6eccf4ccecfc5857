"""Operator commands: flask --app application <command>."""
import functools
import getpass
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

import es_client
from collector import coding, journal
from collector.analyst import erasure, exports
from collector.coding import index_sync
from collector.journal import audit
from collector.search import engines
from collector.search.model import QueryError, SearchUnavailable
from collector.search.params import scope_of
from collector.shipping import outbox, reindexing
from collector.shipping.spill import StoreUnavailable
from collector.surveys import catalog, cli, query_from


@click.command("hash-password")
def hash_password():
    """Read a password from stdin and print a hash for the ANALYSTS setting."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("The password is empty.")
    click.echo(generate_password_hash(password))


def _search_client():
    if not current_app.config["SEARCH_URL"]:
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
            hint = es_client.forbidden_hint(current_app.config) if status == 403 else "Nothing was changed after it."
            raise click.ClickException(f"The search domain answered {status or 'nothing'} "
                                       f"({getattr(exc, 'error', exc)}). {hint}") from None
    return run


@click.command("init-index")
@with_appcontext
@domain_errors
def init_index():
    """Create <alias>-v1 with the mapping and point the alias at it; add new questions' fields (idempotent)."""
    client, alias = _search_client()
    was_there = es_client.current_index(client, alias)
    index, added, conflicting = es_client.prepare_index(client, alias, catalog().field_kinds())
    click.echo(f"{alias} -> {index}")
    shipped = outbox.shipped_count(journal.get_db())
    if not was_there and shipped:  # e.g. answers taken in embedded mode, stored as already indexed
        click.echo(f"This journal holds {shipped} answer(s) that this new index has never seen: "
                   "run `flask --app application ship --all` to send them.")
    if added:
        click.echo(f"added answer fields: {', '.join(added)}")
    if conflicting:
        raise click.ClickException(f"these fields changed since the index was made (their kind, or a sub-field: "
                                   f".plain for prefix search, .pairs for distinctive phrases): "
                                   f"{', '.join(conflicting)}. Run reindex to build an index with the new mapping.")


@click.command("reindex")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks at the copy task.")
@with_appcontext
@domain_errors
def reindex(poll):
    """Copy into a new index version with the current mapping and swap the alias (run it again to resume)."""
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
        old, new = reindexing.reindex(client, alias, catalog().field_kinds(), report, poll)
    except reindexing.ReindexFailed as exc:
        raise click.ClickException(str(exc)) from None
    db = journal.get_db()
    requeued = index_sync.requeue_all(db)
    while index_sync.waiting(db) and index_sync.push(current_app, db):
        pass  # the copy may predate a coding made while it ran: send every coded answer's codes again
    click.echo(f"{alias}: {old} -> {new} ({requeued} coded answers' codes re-sent)")


@click.command("ship")
@click.option("--dead", is_flag=True, help="List dead letters instead of shipping.")
@click.option("--all", "everything", is_flag=True,
              help="Send every answer in this journal again (after switching from embedded mode, or to a new domain).")
@click.option("--spilled", is_flag=True, help="Drain the spill store (answers any instance spilled) instead.")
@click.option("--timeout", default=300.0, show_default=True, help="Give up after this many seconds.")
@with_appcontext
def ship(dead, everything, spilled, timeout):
    """Drain the journal into the index now; exits 1 if anything is left or dead."""
    _search_client()
    db = journal.get_db()
    if spilled:
        return _drain_spilled(db)
    if everything:
        click.echo(f"queued {outbox.requeue_all(db)} answer(s) that were already shipped or dead")
    if dead:
        for row in outbox.dead_letters(db):
            click.echo(f"{row['id']}\tattempts={row['attempts']}\t{row['last_error']}")
    else:
        _drain(db, timeout)
    left = journal.counts()
    if left["pending"] or left["dead"]:
        click.echo(f"{left['pending']} pending, {left['dead']} dead letters "
                   "(see: ship --dead)", err=True)
        sys.exit(1)


def _drain(db, timeout):
    shipper = current_app.extensions["shipper"]
    with click.progressbar(length=journal.counts()["pending"], label="Shipping", file=sys.stderr) as bar:
        total = shipper.drain(db, time.time() + timeout, bar.update)
    click.echo(f"shipped {total.shipped}, dead {total.dead}" + (f", last error {total.error}" if total.error else ""))


def _drain_spilled(db):
    spilling = current_app.extensions.get("spilling")
    if not spilling:
        raise click.ClickException("No spill store: set SPILL_URL (s3://<bucket>/<prefix>).")
    try:
        waiting = spilling.store.count(max_age=0)
        with click.progressbar(length=waiting or 0, label="Draining the spill store", file=sys.stderr) as bar:
            total = spilling.drainer.drain_all(db, bar.update)
        left = spilling.store.count(max_age=0)
    except StoreUnavailable as exc:
        raise click.ClickException(f"{exc}; nothing was lost, run it again later.") from None
    click.echo(f"shipped {total.shipped}, dead {total.dead}, still spilled {left}"
               + (f", last error {total.error}" if total.error else ""))
    if left:
        sys.exit(1)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(exports.FORMATS)), default="csv", show_default=True)
@click.option("--q", default="", help="Search words, as on the analyst page.")
@click.option("--from", "date_from", default="", help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", default="", help="Last day, YYYY-MM-DD.")
@click.option("--spam", type=click.Choice(["only", "exclude"]), default=None)
@click.option("--email", default="")
@click.option("--survey", default="", help="Only this survey (its slug).")
@click.option("--in", "within", default="", help="Search the words in this text question only.")
@click.option("--filter", "answer_filters", multiple=True, metavar="ID=VALUE",
              help="Only answers whose choice, rating or hidden field ID is VALUE (repeatable).")
@click.option("--code", "codes", multiple=True, metavar="NAME", help="Only answers with this code; -NAME: without.")
@with_appcontext
def export(fmt, answer_filters, codes, **filters):
    """Write every matching answer to stdout as CSV or NDJSON (progress on stderr)."""
    args = MultiDict({"q": filters["q"], "from": filters["date_from"], "to": filters["date_to"],
                      "spam": filters["spam"], "email": filters["email"], "survey": filters["survey"],
                      "in": filters["within"]})
    for pair in answer_filters:
        name, _, value = pair.partition("=")
        args.add(f"f.{name.strip()}", value)
    for code in codes:
        args.add("code", code)
    db = journal.get_db()
    try:
        query = query_from(args, codes=coding.known_names(db))
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    engine = engines.current()
    lines, _ = exports.FORMATS[fmt]
    docs = exports.Counted(exports.with_codes(engine.scan(query), lambda ids: coding.codes_for(db, ids)))
    actor = f"cli:{getpass.getuser()}"
    with click.progressbar(length=engine.search(query).total, label="Exporting", file=sys.stderr) as bar, \
            audit.Recorded(journal.connect(current_app.config["JOURNAL_PATH"]), actor, f"export.{fmt}",
                           scope_of(args)) as entry:
        for line in lines(docs, catalog().export_fields(query.survey)):
            sys.stdout.write(line)
            bar.update(docs.count - bar.pos)
            entry.sent(docs.count)


@click.command("erase")
@click.option("--email", default=None, help="Erase every answer from this address.")
@click.option("--receipt", default=None, help="Erase the answer behind this receipt code.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase(email, receipt, yes):
    """Erase answers from the journal, the FTS index and the search index (audited)."""
    if bool(email) == bool(receipt):
        raise click.UsageError("Give exactly one of --email and --receipt.")
    try:
        doc_ids = erasure.find(email.strip().lower() if email else None, receipt)
        if doc_ids and not yes:
            click.confirm(f"Erase {len(doc_ids)} answer(s) permanently?", abort=True)
        actor = f"cli:{getpass.getuser()}"
        count = erasure.erase(doc_ids, actor, "email" if email else "receipt")
        if email and erasure.needs_recheck():  # Serverless: recent writes are not searchable yet
            click.echo(erasure.outcome(count, recheck=True))
            time.sleep(current_app.config["SEARCH_REFRESH_SECONDS"])
            count = erasure.recheck(email.strip().lower(), actor)
            click.echo(f"Looked again: erased {count} more.")
            return
    except ValueError:
        raise click.UsageError("That is not a receipt code.") from None
    except SearchUnavailable as exc:
        raise click.ClickException(f"{exc} {erasure.RETRY}") from None
    click.echo(erasure.outcome(count))


@click.command("audit")
@with_appcontext
def audit_log():
    """Print the audit trail of exports and erasures (who, when, what, how many)."""
    for row in audit.entries(journal.get_db()):
        click.echo("\t".join(str(value) for value in row))


def init_app(app):
    """Register the commands on the app's CLI."""
    for command in (hash_password, init_index, reindex, ship, export, erase, audit_log, cli.surveys):
        app.cli.add_command(command)
