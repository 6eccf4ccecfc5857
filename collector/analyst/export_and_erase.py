"""Analyst tools that act on a whole filtered set: streamed exports and erasure requests.

Their routes belong to the analyst blueprint (analyst.export, analyst.erase), which registers them.
"""
import functools
import os
import tempfile

from flask import (
    Response,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)

import es_client
from collector import journal
from collector.accounts import auth
from collector.accounts.roles import needs
from collector.analyst import erasure, exports, refi
from collector.analyst.stats_layout import MIMETYPES, Layout
from collector.coding import stores
from collector.common import clock, lazy
from collector.common.forms import EraseForm
from collector.journal import audit
from collector.search import by_meaning, engines
from collector.search.params import query_of, scope_of
from collector.surveys import catalog, columns

stats_exports = lazy.module("collector.analyst.stats_exports")  # pandas and pyreadstat, for those files only


@needs("viewer")
def export(fmt):
    """The whole filtered set as a streamed CSV or NDJSON download, or an XLSX, .sav or .dta file."""
    if fmt not in exports.FORMATS and fmt not in MIMETYPES:
        abort(404)
    query = by_meaning.counted(query_of(request.args))
    stamp = clock.utc().strftime("%Y%m%d-%H%M%S")
    actor = auth.current_analyst()
    scope = ",".join(filter(None, [scope_of(request.args), None if auth.sees_emails() else "no emails"]))
    if fmt in MIMETYPES:
        return _file_export(fmt, query, f"survey-answers-{stamp}.{fmt}", actor, scope)
    lines, mimetype = exports.FORMATS[fmt]
    headers = {"Content-Disposition": f'attachment; filename="survey-answers-{stamp}.{fmt}"'}
    fields = columns.export_fields(catalog(), query.survey)
    excel = fmt == "csv" and request.args.get("for") == "excel"
    options = {"client": request.args.get("client") == "1" and auth.sees_emails(),
               "labels": columns.export_labels(catalog(), query.survey) if excel else None}
    docs = _for_reader(exports.with_codes(engines.current().scan(query), stores.current().codes_for))
    body = _audited(functools.partial(lines, **options), docs, fields, f"export.{fmt}", actor, scope)
    return Response(stream_with_context(body), mimetype=mimetype, headers=headers)


def _file_export(fmt, query, name, actor, scope):
    """Write the file (audited like a stream), send it, and delete it once sent."""
    path = write_stats_file(fmt, query, actor, scope)
    response = send_file(path, mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)
    response.call_on_close(lambda: os.unlink(path))
    return response


def write_stats_file(fmt, query, actor, scope, path=None):
    """An XLSX, .sav or .dta file of the matching answers (a temporary one unless path is given); its path."""
    surveys = catalog()
    slug = query.survey
    layout = Layout(columns.export_fields(surveys, slug), stores.current().codebook(), columns.export_labels(surveys, slug),
                    columns.variable_kinds(surveys, slug), columns.questions(surveys, slug), numbered=fmt in ("sav", "dta"))
    if path is None:
        handle, path = tempfile.mkstemp(prefix="export-", suffix=f".{fmt}")
        os.close(handle)
    docs = exports.Counted(_for_reader(exports.with_codes(engines.current().scan(query), stores.current().codes_for)))
    try:
        with audit.Recorded(journal.connect(current_app.config["JOURNAL_PATH"]), actor, f"export.{fmt}", scope) as entry:
            if fmt == "xlsx":
                stats_exports.write_xlsx(docs, layout, path)
            elif fmt == "qdpx":
                refi.write_qdpx(docs, layout, path, stores.current().codings_for)
            else:
                stats_exports.write_labelled(docs, layout, path, fmt)
            entry.sent(docs.count)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _for_reader(docs):
    """The docs as the person exporting may see them (a viewer: no email addresses; the command line: all)."""
    return docs if not has_request_context() or auth.sees_emails() else exports.without_emails(docs)


def _audited(lines, docs, fields, action, actor, scope):
    docs = exports.Counted(docs)
    with audit.Recorded(journal.connect(current_app.config["JOURNAL_PATH"]), actor, action, scope) as entry:
        for line in lines(docs, fields):
            entry.sent(docs.count)
            yield line


PREVIEW = 20


@needs("admin")
def erase():
    """Erase answers by email or receipt, after a confirmation step that says how many."""
    form = EraseForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("analyst/erase.html", form=form, found=None), status
    try:
        doc_ids = erasure.find(form.email.data, form.receipt.data)
        if form.confirm.data != "yes":  # the confirmation shows which answers (the first PREVIEW of them)
            form.confirm.data = "yes"
            shown = [doc for doc in map(engines.current().get, doc_ids[:PREVIEW]) if doc is not None]
            return render_template("analyst/erase.html", form=form, found=len(doc_ids), shown=shown)
        count = erasure.erase(doc_ids, auth.current_analyst(), "email" if form.email.data else "receipt",
                              email=form.email.data or None, receipt=form.receipt.data or None)
        later = bool(form.email.data) and erasure.needs_recheck()
    except es_client.DomainUnavailable as exc:
        abort(503, description=f"{exc} {erasure.RETRY}")
    if later:
        erasure.recheck_later(form.email.data, auth.current_analyst())
    flash(erasure.outcome(count, later))
    return redirect(url_for("analyst.index"), 303)
