"""Analyst pages for reliability rounds: start one on a search, code your queue blind (forms and the
keyboard alone), close it, read the report, decide the disagreements, download the round as CSV."""
import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding import stores as coding_stores
from collector.coding.saved import params_of
from collector.common.cells import neutralize
from collector.common.error_pages import UserError
from collector.reliability import report, rounds, stores
from collector.search import engines
from collector.surveys import catalog

bp = Blueprint("rounds", __name__)


def _number(name, kind):
    value = (request.form.get(name) or "").strip()
    try:
        return kind(value) if value else None
    except ValueError:
        raise UserError(f"'{name}' must be a number.") from None


def choice_questions():
    """[(id, label)] of the choice questions a round may be stratified by."""
    found = {q.id: q.label for s in catalog().surveys.values() for q in s.questions if q.type == "choice"}
    return sorted(found.items())


@bp.route("/rounds/new", methods=["GET", "POST"])
@needs("analyst")
def new():
    """Start a round on the search in the address: its name, codes, sample and coders."""
    error = None
    status = 200
    if request.method == "POST":
        try:
            started = rounds.start(request.form.get("name"), request.form.getlist("codes"), request.args,
                                   request.form.getlist("coders"), _number("sample", int), _number("percent", float),
                                   request.form.get("stratify") or None, _number("seed", int),
                                   request.form.get("creator_decides") == "yes")
        except UserError as exc:
            error = str(exc)
            status = exc.status
        else:
            flash(f"Round '{started['name']}' started with {len(started['units'])} answers.")
            return redirect(url_for(".show", round_id=started["id"]), 303)
    return render_template("analyst/round_new.html", error=error, searched=params_of(request.args),
                           codebook=coding_stores.current().codebook(), strata=choice_questions(),
                           analysts=sorted(name for name, role in auth.people().items() if role != "viewer")), status


@bp.get("/rounds")
@needs("viewer")
def listing():
    """Every round, newest first."""
    return render_template("analyst/rounds.html", rounds=stores.current().rounds(), me=auth.current_analyst())


@bp.get("/rounds/<round_id>")
@needs("viewer")
def show(round_id):
    """A round: its progress while open; its report and disagreements once closed."""
    round_ = rounds.round_or_404(round_id)
    done = report.progress(round_, stores.current().judgments(round_))
    full = rounds.full_report(round_) if round_["closed_at"] else None
    return render_template("analyst/round.html", round=round_, progress=done, me=auth.current_analyst(), report=full,
                           snippets=_snippets(full["disagreements"]) if full else {},
                           may_decide=rounds.refusal_to_decide(round_) is None)


def _snippets(units):
    """{answer id: its first words}, so a disagreement reads as what it is about."""
    docs = {unit: engines.current().get(unit) for unit in units}
    return {unit: (doc.essay or "")[:140] if doc else "(this answer was erased)" for unit, doc in docs.items()}


def _definitions(round_):
    """{code name: the code as the codebook has it} for the round's codes (coders read what each means)."""
    names = set(rounds.code_list(round_))
    return {code["name"]: code for code in coding_stores.current().codebook() if code["name"] in names}


@bp.route("/rounds/<round_id>/code", methods=["GET", "POST"])
@needs("coder")
def code(round_id):
    """The caller's n-th unit of the round, with only their own codes; saving goes on to the next."""
    round_ = rounds.round_or_404(round_id)
    at = max(1, _int_arg("at"))
    if auth.current_analyst() not in round_["coders"]:
        raise UserError("You are not one of this round's coders.", 403)
    if at > len(round_["units"]):
        flash("That was the last answer of your queue.")
        return redirect(url_for(".show", round_id=round_id), 303)
    unit = round_["units"][at - 1]
    if request.method == "POST":
        rounds.code_unit(round_, unit, request.form.getlist("codes"))
        return redirect(url_for(".code", round_id=round_id, at=at + 1), 303)
    mine = rounds.own_codes(round_, auth.current_analyst())
    return render_template("analyst/round_unit.html", round=round_, at=at, doc=engines.current().get(unit), unit=unit,
                           chosen=mine.get(unit), coders=None, codes=rounds.code_list(round_),
                           definitions=_definitions(round_))


def _int_arg(name):
    value = request.args.get(name, "1")
    return int(value) if value.isdigit() else 1


@bp.post("/rounds/<round_id>/close")
@needs("analyst")
def close(round_id):
    """Ask first, saying where each coder is; once confirmed, close the round (its codes are final), then its report."""
    round_ = rounds.round_or_404(round_id)
    rounds.check_may_decide(round_)
    if request.form.get("confirm") != "yes":
        done = report.progress(round_, stores.current().judgments(round_))
        return render_template("analyst/round.html", round=round_, progress=done, me=auth.current_analyst(),
                               report=None, snippets={}, confirming=True)
    stores.current().close_round(round_, auth.current_analyst())
    return redirect(url_for(".show", round_id=round_id), 303)


@bp.route("/rounds/<round_id>/adjudicate/<answer_id>", methods=["GET", "POST"])
@needs("analyst")
def adjudicate(round_id, answer_id):
    """One disagreement: every coder's codes side by side, and the decision that becomes the answer's codes."""
    round_ = rounds.round_or_404(round_id)
    rounds.check_may_decide(round_)
    if request.method == "POST":
        rounds.adjudicate(round_, answer_id, request.form.getlist("codes"))
        flash("Decided: the answer's codes are set.")
        return redirect(url_for(".show", round_id=round_id), 303)
    full = rounds.full_report(round_)  # refuses while the round is open
    coders = {coder: rounds.own_codes(round_, coder).get(answer_id) for coder in round_["coders"]}
    return render_template("analyst/round_unit.html", round=round_, doc=engines.current().get(answer_id),
                           unit=answer_id, chosen=None, coders=coders, report=full, at=None,
                           codes=rounds.code_list(round_), definitions=_definitions(round_))


@bp.get("/rounds/<round_id>.csv")
@needs("viewer")
def download(round_id):
    """The round as CSV: each coder's codes per unit (and the decisions), 0/1 per code, once closed."""
    round_ = rounds.round_or_404(round_id)
    rounds.full_report(round_)  # refuses while the round is open
    store = stores.current()
    out = io.StringIO()
    names = {str(i): n for i, n in coding_stores.current().code_tree()[1].items()}
    csv.writer(out).writerows([[neutralize(cell) for cell in row] for row in report.rows(
        round_, store.judgments(round_), names, store.decisions(round_))])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="round-{round_id}.csv"'})
