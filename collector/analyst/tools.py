"""Analyst tools that act on a whole filtered set: streamed exports and erasure requests.

Their routes belong to the analyst blueprint (analyst.export, analyst.erase), which registers them.
"""
import functools
from datetime import datetime, timezone

from flask import Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for

from collector import journal
from collector.accounts import auth
from collector.analyst import erasure, exports
from collector.coding import stores
from collector.journal import audit
from collector.search import engines
from collector.search.model import SearchUnavailable
from collector.search.params import query_of, scope_of
from collector.surveys import catalog
from collector.web.forms import EraseForm


def export(fmt):
    """The whole filtered set as a streamed CSV or NDJSON download."""
    if fmt not in exports.FORMATS:
        abort(404)
    query = query_of(request.args)
    lines, mimetype = exports.FORMATS[fmt]
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    headers = {"Content-Disposition": f'attachment; filename="survey-answers-{stamp}.{fmt}"'}
    actor, scope = auth.current_analyst(), scope_of(request.args)
    fields, excel = catalog().export_fields(query.survey), fmt == "csv" and request.args.get("for") == "excel"
    options = {"client": request.args.get("client") == "1",
               "labels": catalog().export_labels(query.survey) if excel else None}
    docs = exports.with_codes(engines.current().scan(query), stores.current().codes_for)
    body = _audited(functools.partial(lines, **options), docs, fields, f"export.{fmt}", actor, scope)
    return Response(stream_with_context(body), mimetype=mimetype, headers=headers)


def _audited(lines, docs, fields, action, actor, scope):
    docs = exports.Counted(docs)
    with audit.Recorded(journal.connect(current_app.config["JOURNAL_PATH"]), actor, action, scope) as entry:
        for line in lines(docs, fields):
            entry.sent(docs.count)
            yield line


PREVIEW = 20


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
    except SearchUnavailable as exc:
        abort(503, description=f"{exc} {erasure.RETRY}")
    if later:
        erasure.recheck_later(form.email.data, auth.current_analyst())
    flash(erasure.outcome(count, later))
    return redirect(url_for("analyst.index"), 303)
