"""What suggestions do, for the page and the JSON alike: the model's state, the review queue (most
uncertain first: each answer there teaches the model most), decisions, and applying the confident ones."""

from flask import current_app

from collector.accounts import auth
from collector.coding import stores
from collector.common import clock
from collector.common.error_pages import UserError
from collector.suggestions import decisions, training

SIZE_DEFAULT = 50
SIZE_MAX = 1000


def state(code):
    """(model JSON or None, training JSON or None, [(answer id, score)] of the latest model)."""
    others = [name for code_id, name in stores.current().code_tree()[1].items() if str(code_id) != str(code["id"])]
    latest, running = training.current(current_app._get_current_object(), code, others)
    result = latest.result if latest else None
    model_json = result and {k: result[k] for k in ("version", "examples", "precision", "recall", "f1")}
    training_json = running and {"state": running.state, "seconds": round(clock.monotonic() - running.started, 1)}
    if latest and not result and not running:
        training_json = {"state": latest.state, "seconds": 0}
    return model_json, training_json, result["scores"] if result else []


def queue(code, scores, size):
    """The undecided, uncoded answers by how unsure the model is, most unsure first: [(id, score)]."""
    decided = decisions.current().decided(code["id"])
    ranked = sorted((pair for pair in scores if pair[0] not in decided), key=lambda pair: (abs(pair[1] - 0.5), pair[0]))
    picked = ranked[:size * 2]
    # coded by hand since the model's scores
    coded = stores.current().codes_for([answer for answer, _ in picked])
    return [pair for pair in picked if code["name"] not in coded.get(pair[0], [])][:size]


def decide(code, answer_id, accept):
    """Accept (the answer gets the code) or reject a suggestion; both teach the next model."""
    if not isinstance(accept, bool):
        raise UserError("'accept' must be true or false.")
    if accept:
        stores.current().change_codes(answer_id, [code["name"]], [], auth.current_analyst())
    decisions.current().decide(code["id"], answer_id, accept, auth.current_analyst())


def apply_above(code, threshold):
    """Give the code to every uncoded answer the model scores at threshold or more, as one bulk coding by
    `model:<code>@<version>` (undone like any other); (batch id, applied, model version)."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.5 <= threshold <= 1:
        raise UserError("'threshold' must be a probability from 0.5 to 1.")
    model_json, _, scores = state(code)
    if model_json is None:
        raise UserError("There is no model for this code yet.", 409)
    decided = decisions.current().decided(code["id"])
    chosen = [answer for answer, score in scores if score >= threshold and answer not in decided]
    coder = f"model:{code['name']}@{model_json['version']}"
    batch, applied = stores.current().apply(code, chosen, coder, [("model", model_json["version"]),
                                                                  ("threshold", str(threshold))])
    return batch, applied, model_json["version"]
