"""Issue 42 #4: meaning against human codes, side by side with words, on bench/paraphrases.py (1,000 answers,
eight codes said 25 ways each), twice: every answer with an unrelated remark (two topics), and each
answer its theme's sentence alone (one topic).

- "Answers like this": precision@10 (the share of the ten that carry the seed's code), by words and by
  meaning, over every answer as the seed.
- Search with each code's description as the query: precision@20 and recall@20 (of the code's 125 answers),
  by words, by meaning and hybrid.
- Suggestions: macro F1 over the codes at 20, 40 and 100 labels per code (as many answers with the code and
  as many without, drawn at random), scored on every other answer at a 0.5 probability; words only
  (TF-IDF) against words and meaning (TF-IDF beside the embeddings), three draws each.
Run: python -m bench.meaning_eval   (embedded mode; needs `make model`)
"""
import json
import random
import statistics
import tempfile

from sklearn.metrics import f1_score

from bench import paraphrases
from collector import create_app, journal, meaning
from collector.search import engines
from collector.search.query import Query
from collector.suggestions import model
from tests.helpers import store

LABELS = (20, 40, 100)
DRAWS = 3


def build(remarks=True):
    """An embedded app holding the answers, each with its vector; ([(id, text, code)], app)."""
    app = create_app({"DATA_DIR": tempfile.mkdtemp(), "SECRET_KEY": "bench", "EMBED_AUTOSTART": False,
                      "SUBMIT_RATE_LIMIT": "off"})
    rows = [(store(app, text), text, code) for text, code in paraphrases.answers(remarks=remarks)]
    with app.app_context():
        meaning.catch_up(app, journal.get_db())
    return rows, app


def like_this(rows, app):
    """Mean precision@10 of similar answers by words and by meaning."""
    code_of = {doc_id: code for doc_id, _, code in rows}
    found = {"words": [], "meaning": []}
    with app.test_request_context():
        engine = engines.current()
        for doc_id, _, code in rows:
            doc = engine.get(doc_id)
            near = [other.meta.id for other, _ in engine.nearest(meaning.answer_vector(doc), 10, exclude=(doc_id,))]
            for way, ids in (("words", [other.meta.id for other in engine.similar(doc_id, 10)]), ("meaning", near)):
                found[way].append(sum(code_of[i] == code for i in ids) / 10)
    return {way: round(statistics.mean(shares), 3) for way, shares in found.items()}


def described(rows, app):
    """Precision@20 and recall@20 of each code's description as a query, by mode, averaged over the codes."""
    size = {code: sum(c == code for _, _, c in rows) for code in paraphrases.THEMES}
    code_of = {doc_id: code for doc_id, _, code in rows}
    figures = {}
    with app.test_request_context():
        for mode in ("words", "meaning", "hybrid"):
            hits = {code: [h.doc.meta.id for h in engines.current().search(Query(q=text, mode=mode, per_page=20)).hits]
                    for code, text in paraphrases.descriptions().items()}
            right = {code: sum(code_of[i] == code for i in ids) for code, ids in hits.items()}
            figures[mode] = {"precision@20": round(statistics.mean(right[c] / 20 for c in right), 3),
                             "recall@20": round(statistics.mean(right[c] / size[c] for c in right), 3)}
    return figures


def suggestions(rows, folder):
    """Macro F1 at each label count, words only and with meaning (mean of DRAWS random draws)."""
    results = {}
    for labels in LABELS:
        for way, features in (("words", None), ("words+meaning", folder)):
            scores = [_macro_f1(rows, labels, features, random.Random(draw)) for draw in range(DRAWS)]
            results[f"{way}@{labels}"] = round(statistics.mean(scores), 3)
    return results


def _macro_f1(rows, labels, features, rnd):
    f1s = []
    for code in paraphrases.THEMES:
        positives = [r for r in rows if r[2] == code]
        negatives = [r for r in rows if r[2] != code]
        chosen = rnd.sample(positives, labels) + rnd.sample(negatives, labels)
        taken = {r[0] for r in chosen}
        rest = [r for r in rows if r[0] not in taken]
        fitted = model.fitted([r[1] for r in chosen], [int(r[2] == code) for r in chosen], features)
        predicted = (fitted.predict_proba([r[1] for r in rest])[:, 1] >= 0.5).astype(int)
        f1s.append(f1_score([int(r[2] == code) for r in rest], predicted, zero_division=0))
    return statistics.mean(f1s)


def measured(remarks):
    """Every figure on one of the two sets."""
    rows, app = build(remarks)
    figures = {"answers": len(rows), "like_this_precision@10": like_this(rows, app),
               "descriptions_as_queries": described(rows, app)}
    figures["suggestions_macro_f1"] = suggestions(rows, app.config["MODEL_DIR"])
    return figures


def main():
    """Print every figure of both sets as JSON."""
    print(json.dumps({"two topics": measured(True), "one topic": measured(False)}, indent=2))


if __name__ == "__main__":
    main()
