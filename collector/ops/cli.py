"""Operator commands: flask --app application <command> (the index's own are in index_cli.py)."""
import getpass
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

import es_client
from collector import journal
from collector.analyst import erasure, export_and_erase, exports, stats_layout
from collector.coding import stores
from collector.common import clock, lazy
from collector.common.forms import normal_email
from collector.journal import audit
from collector.ops import codebook_cli, index_cli, workspace_cli
from collector.search import engines
from collector.search.params import query_of, scope_of
from collector.search.query import QueryError
from collector.surveys import catalog, cli, columns

stats_exports = lazy.module("collector.analyst.stats_exports")


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


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted([*exports.FORMATS, *stats_layout.MIMETYPES])), default="csv",
              show_default=True, help="csv and ndjson go to stdout; xlsx, sav (SPSS) and dta (Stata) to --output.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None, help="The file to write.")
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
@click.option("--client", is_flag=True, help="Include each respondent's IP address and browser (left out by default).")
@with_appcontext
def export(fmt, answer_filters, codes, client, output, **filters):
    """Write every matching answer to stdout as CSV or NDJSON (progress on stderr)."""
    args = MultiDict({"q": filters["q"], "from": filters["date_from"], "to": filters["date_to"],
                      "spam": filters["spam"], "email": filters["email"], "survey": filters["survey"],
                      "in": filters["within"]})
    for pair in answer_filters:
        name, _, value = pair.partition("=")
        args.add(f"f.{name.strip()}", value)
    for code in codes:
        args.add("code", code)
    try:
        query = query_of(args, per_page=20)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    if fmt in stats_layout.MIMETYPES:
        if not output:
            raise click.UsageError(f"A {fmt} file needs --output FILE.")
        export_and_erase.write_stats_file(fmt, query, f"cli:{getpass.getuser()}", scope_of(args), path=output)
        return click.echo(f"Wrote {output}.", err=True)
    engine = engines.current()
    lines, _ = exports.FORMATS[fmt]
    docs = exports.Counted(exports.with_codes(engine.scan(query), stores.current().codes_for))
    actor = f"cli:{getpass.getuser()}"
    with click.progressbar(length=engine.search(query).total, label="Exporting", file=sys.stderr) as bar, \
            audit.Recorded(journal.connect(current_app.config["JOURNAL_PATH"]), actor, f"export.{fmt}",
                           scope_of(args)) as entry:
        for line in lines(docs, columns.export_fields(catalog(), query.survey), client=client):
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
        email = normal_email(email)
        doc_ids = erasure.find(email, receipt)
        if doc_ids and not yes:
            click.confirm(f"Erase {len(doc_ids)} answer(s) permanently?", abort=True)
        actor = f"cli:{getpass.getuser()}"
        count = erasure.erase(doc_ids, actor, "email" if email else "receipt", email=email,
                              receipt=receipt)
        if email and erasure.needs_recheck():  # Serverless: recent writes are not searchable yet
            click.echo(erasure.outcome(count, recheck=True))
            clock.sleep(current_app.config["SEARCH_REFRESH_SECONDS"])
            count = erasure.recheck(email, actor)
            click.echo(f"Looked again: erased {count} more.")
            return
    except ValueError:
        raise click.UsageError("That is not a receipt code.") from None
    except es_client.DomainUnavailable as exc:
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
    for command in (hash_password, index_cli.init_index, index_cli.reindex, index_cli.ship, export, erase, audit_log,
                    cli.surveys, workspace_cli.group, codebook_cli.group):
        app.cli.add_command(command)
