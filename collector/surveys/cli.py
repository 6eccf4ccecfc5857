"""flask --app application surveys check [FILE] | surveys list."""
import click
from flask import current_app
from flask.cli import with_appcontext

from collector.journal import count_for_survey
from collector.surveys import SurveyError, catalog, loading
from collector.surveys.taking import closed_state


@click.group("surveys")
def surveys():
    """Check and list survey definitions."""


@surveys.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@with_appcontext
def check(path):
    """Check FILE (default: SURVEYS_FILE) as start-up would; exit 1 listing every mistake."""
    path = path or current_app.config["SURVEYS_FILE"]
    if not path:
        click.echo("SURVEYS_FILE is not set: the one default survey is used (nothing to check).")
        return
    try:
        found = loading.load(path, current_app.config["ESSAY_MAX_CHARS"])
    except SurveyError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    questions = sum(len(s.questions) for s in found.surveys.values())
    click.echo(f"{path}: {len(found.surveys)} survey(s), {questions} question(s): {', '.join(found.surveys)}. OK.")
    for note in found.notes:  # shown in the first language until translated
        click.echo(f"missing translation: {note}")


@surveys.command("list")
@with_appcontext
def list_surveys():
    """Each survey: slug, version, open or why not, answers in this journal, title."""
    rows = [("slug", "version", "state", "answers", "title")]
    for survey in catalog().surveys.values():
        state = closed_state(survey) or "open"
        rows.append((survey.slug, str(survey.version), state, str(count_for_survey(survey.slug)), survey.title))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
