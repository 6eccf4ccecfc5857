"""JSON for scripts: a code's suggestions, deciding one, and applying the confident ones."""
from flask import Blueprint, jsonify, request

from collector.accounts.roles import needs
from collector.coding import stores
from collector.coding.api import existing_answer, json_object
from collector.common.error_pages import UserError
from collector.suggestions import suggest

bp = Blueprint("suggestions_api", __name__, url_prefix="/api")


@bp.get("/codes/<path:name>/suggestions")
@needs("coder")
def suggestions(name):
    """{"model", "training", "hits": [{"id", "score"}]}: uncoded answers, the most useful to decide first."""
    size = request.args.get("size", str(suggest.SIZE_DEFAULT))
    if not size.isdigit() or not 1 <= int(size) <= suggest.SIZE_MAX:
        raise UserError(f"'size' must be a whole number from 1 to {suggest.SIZE_MAX:,}.")
    code = stores.current().code_named(name)
    model_json, training_json, scores = suggest.state(code)
    hits = [{"id": answer, "score": score} for answer, score in suggest.queue(code, scores, int(size))]
    return jsonify(model=model_json, training=training_json, hits=hits)


@bp.post("/codes/<path:name>/suggestions/<answer_id>")
@needs("coder")
def decide(name, answer_id):
    """POST {"accept": true|false}: accepting gives the answer the code; both are recorded and teach the model."""
    code = stores.current().code_named(name)
    accept = json_object().get("accept")
    existing_answer(answer_id)
    suggest.decide(code, answer_id, accept)
    return jsonify(accepted=accept)


@bp.post("/codes/<path:name>/suggestions/apply")
@needs("analyst")
def apply(name):
    """POST {"threshold": 0.9}: the code for every uncoded answer scored that high, as one undoable batch."""
    batch, applied, version = suggest.apply_above(stores.current().code_named(name),
                                                  json_object().get("threshold", 0.9))
    return jsonify(applied=applied, batch=batch, version=version)
