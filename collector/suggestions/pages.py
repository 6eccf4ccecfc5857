"""The review queue of one code's suggestions: the model's cross-validated figures, the answer it is
least sure of, accept or reject in one key press (forms without JavaScript), and applying the sure ones."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from collector.accounts.roles import needs
from collector.coding import stores
from collector.search import engines
from collector.suggestions import suggest

bp = Blueprint("suggestions", __name__)


@bp.get("/codes/<code_id>/suggestions")
@needs("coder")
def review(code_id):
    """The next answer to decide, and what the model is worth."""
    code = stores.code_or_404(code_id)
    model_json, training_json, scores = suggest.state(code)
    (answer, score), = suggest.queue(code, scores, 1) or [(None, None)]
    sure = sum(1 for _, s in scores if s >= 0.9)
    return render_template("analyst/suggestions.html", code=code, model=model_json, training=training_json,
                           doc=answer and engines.current().get(answer), score=score, sure=sure)


@bp.post("/codes/<code_id>/suggestions/<answer_id>")
@needs("coder")
def decide(code_id, answer_id):
    """Accept or reject one suggestion, then the next."""
    code = stores.code_or_404(code_id)
    suggest.decide(code, answer_id, request.form.get("accept") == "yes")
    flash("Accepted: the answer has the code." if request.form.get("accept") == "yes" else "Rejected.")
    return redirect(url_for(".review", code_id=code_id), 303)


@bp.post("/codes/<code_id>/suggestions/apply")
@needs("analyst")
def apply(code_id):
    """Give the code to every answer the model is 90% sure of, as one bulk coding (undo under Codes)."""
    code = stores.code_or_404(code_id)
    _, applied, version = suggest.apply_above(code, 0.9)
    flash(f"The model ({version}) gave '{code['name']}' to {applied} answer(s). You can undo it under Codes.")
    return redirect(url_for("analyst.coding.codes"), 303)
