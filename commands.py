"""Operator commands: flask --app application <command>."""
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

import es_client
import journal


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


@click.command("init-index")
@with_appcontext
def init_index():
    """Create <alias>-v1 with the mapping and point the alias at it (idempotent)."""
    client, alias = _search_client()
    click.echo(f"{alias} -> {es_client.ensure_index(client, alias)}")


@click.command("reindex")
@with_appcontext
def reindex():
    """Copy into a new index version with the current mapping and swap the alias."""
    client, alias = _search_client()
    old, new = es_client.reindex(client, alias)
    click.echo(f"{alias}: {old} -> {new}")


@click.command("ship")
@click.option("--dead", is_flag=True, help="List dead letters instead of shipping.")
@click.option("--timeout", default=300.0, show_default=True, help="Give up after this many seconds.")
@with_appcontext
def ship(dead, timeout):
    """Drain the journal into the index now; exits 1 if anything is left or dead."""
    _search_client()
    db = journal.get_db()
    if dead:
        for row in journal.dead_letters(db):
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


def init_app(app):
    """Register the commands on the app's CLI."""
    for command in (hash_password, init_index, reindex, ship):
        app.cli.add_command(command)
