"""One code's classifier: TF-IDF beside the answers' meaning (the embedding model's vectors, where the
server has the model) and logistic regression (scikit-learn), trained on the answers coders gave the
code (and the ones they did not), its scores calibrated (Platt, on held-out folds), and its precision,
recall and F1 from 5-fold cross-validation before anyone trusts it. Pure functions: the training
process (training.py) runs them away from the web workers. On bench/paraphrases.py, meaning raised
macro F1 at 40 labels per code from 0.337 to 0.594 (docs/benchmarks.md)."""
import hashlib

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union

from collector.meaning import embedder
from collector.suggestions import MIN_EACH


def version_of(ids, labels, meaning=None):
    """A model's version: the same examples (and features) give the same version on every instance."""
    examples = "\n".join(f"{i}\t{y}" for i, y in sorted(zip(ids, labels)))
    digest = hashlib.sha256((examples + ("\nmeaning" if meaning else "")).encode())
    return digest.hexdigest()[:10]


class Meaning(TransformerMixin, BaseEstimator):
    """Texts as their meaning (unit vectors from the embedding model in folder), each computed once per process."""

    def __init__(self, folder=None, weight=1.0):
        self.folder = folder
        self.weight = weight

    def fit(self, texts, labels=None):
        """Nothing to learn: the model is fixed."""
        return self

    def transform(self, texts):
        """One row per text: its vector times weight."""
        texts = [str(text) for text in texts]
        missing = list(dict.fromkeys(text for text in texts if text not in _VECTORS))
        if missing:
            if len(_VECTORS) + len(missing) > VECTORS_KEPT:
                _VECTORS.clear()
            _VECTORS.update(zip(missing, embedder.loaded(str(self.folder)).embed(missing)))
        return np.vstack([_VECTORS[text] for text in texts]) * self.weight


_VECTORS = {}  # in the training process: text -> vector, so cross-validation embeds each text once
VECTORS_KEPT = 50_000  # about 75 MB


def _pipeline(meaning=None):
    """TF-IDF of words and pairs, beside the texts' meaning (meaning: the model's folder), into a logistic regression."""
    words = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, max_features=200_000)
    features = words if meaning is None else make_union(words, Meaning(meaning))
    return make_pipeline(features, LogisticRegression(class_weight="balanced", max_iter=1000, C=4.0))


def fitted(texts, labels, meaning=None):
    """A calibrated model fitted on the examples (Platt scaling on 3 folds)."""
    return CalibratedClassifierCV(_pipeline(meaning), method="sigmoid", cv=3).fit(texts, labels)


def cross_validated(texts, labels, meaning=None):
    """(precision, recall, f1) of the code's presence, each answer predicted by a model that never saw it."""
    folds = StratifiedKFold(n_splits=min(5, min(labels.count(0), labels.count(1))), shuffle=True, random_state=0)
    predicted = cross_val_predict(_pipeline(meaning), texts, labels, cv=folds)
    precision, recall, f1, _ = precision_recall_fscore_support(labels, predicted, average="binary", zero_division=0)
    return round(float(precision), 3), round(float(recall), 3), round(float(f1), 3)


_FITTED = {}  # in the training process: {version: fitted model}, the latest few, for scoring in chunks
FITTED_KEPT = 4


def train(ids, texts, labels, meaning=None):
    """Train on the examples (with meaning: the embedding model's folder, its vectors as features too) and
    keep the model here for score(): {"version", "examples", "positives", "precision", "recall", "f1"}, or
    None with fewer than MIN_EACH examples of either kind."""
    labels = [int(y) for y in labels]
    if min(labels.count(0), labels.count(1)) < MIN_EACH:
        return None
    precision, recall, f1 = cross_validated(texts, labels, meaning)
    version = version_of(ids, labels, meaning)
    _FITTED[version] = fitted(texts, labels, meaning)
    for old in list(_FITTED)[:-FITTED_KEPT]:
        del _FITTED[old]
    return {"version": version, "examples": len(labels), "positives": labels.count(1),
            "precision": precision, "recall": recall, "f1": f1}


def score(version, texts):
    """Calibrated probabilities of the code for texts, by the model train() kept under this version."""
    return [round(float(s), 4) for s in _FITTED[version].predict_proba(texts)[:, 1]] if texts else []


def train_and_score(ids, texts, labels, candidate_ids, candidate_texts, meaning=None):
    """train(), then every candidate scored: the result with "scores": [(id, probability)], or None."""
    result = train(ids, texts, labels, meaning)
    return result and {**result, "scores": list(zip(candidate_ids, score(result["version"], candidate_texts)))}
