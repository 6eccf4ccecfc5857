"""`flask codebook export` and `flask codebook import`: the codebook as a YAML file."""
import getpass
import sys

import click
from flask.cli import with_appcontext

import es_client
from collector.coding import codebook_file, codebook_import, codebook_qdc, index_sync, stores
from collector.common.error_pages import UserError


@click.group("codebook")
def group():
    """The codebook as a file, reviewable in git like the surveys."""


@group.command("export")
@click.option("--format", "fmt", type=click.Choice(["yaml", "qdc"]), default="yaml", show_default=True,
              help="qdc: a REFI-QDA codebook, for NVivo, ATLAS.ti, MAXQDA or QualCoder.")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="The file (default: stdout).")
@with_appcontext
def export(fmt, output):
    """Write the codebook as YAML (or as a REFI-QDA codebook)."""
    try:
        codebook = stores.current().codebook()
        output.write(codebook_qdc.dump_qdc(codebook) if fmt == "qdc" else codebook_file.dump(codebook))
    except (UserError, es_client.DomainUnavailable) as exc:
        raise click.ClickException(str(exc)) from None


@group.command("import")
@click.argument("source", type=click.File("rb"))
@click.option("--apply", "carry_out", is_flag=True, help="Make the changes (without it: only say what they would be).")
@with_appcontext
def import_(source, carry_out):
    """Say what importing a codebook file (YAML or REFI-QDA QDC) would change; with --apply, change it."""
    store = stores.current()
    try:
        steps = codebook_import.plan(store.codebook(), codebook_import.parse(source.read()))
        for line in steps.lines():
            click.echo(line)
        if carry_out and (steps.add or steps.change):
            codebook_import.apply(store, steps, f"cli:{getpass.getuser()}")
            index_sync.push_now()
            click.echo(f"Applied: {len(steps.add)} added, {len(steps.change)} changed.")
        elif steps.add or steps.change:
            click.echo("A dry run: add --apply to make these changes.")
    except (UserError, es_client.DomainUnavailable) as exc:
        click.echo(f"{source.name}: {exc}", err=True)
        sys.exit(1)
