"""Operator commands: flask --app application <command>."""
import sys

import click
from werkzeug.security import generate_password_hash


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


def init_app(app):
    """Register the commands on the app's CLI."""
    app.cli.add_command(hash_password)
