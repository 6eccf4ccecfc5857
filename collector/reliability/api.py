"""JSON for scripts: reliability rounds (start, the caller's queue, coding a unit, close, report, adjudicate)."""
from flask import Blueprint, jsonify, request

from collector.accounts import auth
from collector.accounts.roles import needs
from collector.coding.api import json_object
from collector.common.error_pages import UserError
from collector.reliability import rounds, stores
from collector.search import engines

bp = Blueprint("rounds_api", __name__, url_prefix="/api")


def round_json(round_):
    """A round as JSON, without anyone's codes."""
    keys = ("id", "name", "coders", "sample", "created_by", "created_at", "closed_at", "creator_decides")
    return {key: round_[key] for key in keys} | {"codes": [name for _, name in round_["codes"]],
                                                 "units": len(round_["units"])}


@bp.route("/rounds", methods=["GET", "POST"])
@needs("viewer", POST="analyst")
def rounds_():
    """GET lists the rounds; POST {"name", "codes", "params", "sample" or "percent", "stratify", "seed",
    "coders", "creator_decides"} starts one: 201 {"id", "units"}."""
    if request.method == "GET":
        return jsonify(rounds=[round_json(r) for r in stores.current().rounds()])
    body = json_object()
    started = rounds.start(body.get("name"), body.get("codes"), rounds.params_from_json(body.get("params") or {}),
                           body.get("coders"), _number(body, "sample", int), _number(body, "percent", float),
                           body.get("stratify"), _number(body, "seed", int), body.get("creator_decides") is True)
    return jsonify(id=started["id"], units=started["units"]), 201


def _number(body, key, kind):
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
        raise UserError(f"'{key}' must be a positive number.")
    return None if value is None else kind(value)


@bp.get("/rounds/<round_id>/queue")
@needs("coder")
def queue(round_id):
    """The caller's units in the round, each with its text and the caller's own codes (null: not coded yet)."""
    round_ = rounds.round_or_404(round_id)
    if auth.current_analyst() not in round_["coders"]:
        raise UserError("You are not one of this round's coders.", 403)
    mine = rounds.own_codes(round_, auth.current_analyst())
    units = [{"id": unit, "text": getattr(engines.current().get(unit), "essay", None), "codes": mine.get(unit)}
             for unit in round_["units"]]
    return jsonify(round=round_json(round_), units=units)


@bp.post("/rounds/<round_id>/units/<answer_id>")
@needs("coder")
def code_unit(round_id, answer_id):
    """POST {"codes": [names]}: the caller's codes for one unit (replacing what they said before)."""
    rounds.code_unit(rounds.round_or_404(round_id), answer_id, json_object().get("codes"))
    return jsonify(codes=json_object().get("codes"))


@bp.post("/rounds/<round_id>/close")
@needs("analyst")
def close(round_id):
    """Close the round: its codes are final, its report and adjudication open."""
    round_ = rounds.round_or_404(round_id)
    rounds.check_may_decide(round_)
    stores.current().close_round(round_, auth.current_analyst())
    return jsonify(round_json(rounds.round_or_404(round_id)))


@bp.get("/rounds/<round_id>/report")
@needs("viewer")
def report(round_id):
    """Agreement per code and overall, the disagreements and each coder's progress (once closed)."""
    return jsonify(rounds.full_report(rounds.round_or_404(round_id)))


@bp.post("/rounds/<round_id>/adjudicate/<answer_id>")
@needs("analyst")
def adjudicate(round_id, answer_id):
    """POST {"codes": [names]}: the answer's codes for the round's codes become these; the coders' stay in the round."""
    round_ = rounds.round_or_404(round_id)
    rounds.check_may_decide(round_)
    rounds.adjudicate(round_, answer_id, json_object().get("codes"))
    return jsonify(codes=json_object().get("codes"))
