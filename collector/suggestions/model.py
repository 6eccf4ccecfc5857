"""One code's classifier: TF-IDF and logistic regression (scikit-learn) trained on the answers coders
gave the code (and the ones they did not), its scores calibrated (Platt, on held-out folds), and its
precision, recall and F1 from 5-fold cross-validation before anyone trusts it. Pure functions: the
training process (training.py) runs them away from the web workers."""
import hashlib

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

MIN_EACH = 20  # coded answers, and answers without the code, before a model is trained


def version_of(ids, labels):
    """A model's version: the same examples give the same version on every instance."""
    digest = hashlib.sha256("\n".join(f"{i}\t{y}" for i, y in sorted(zip(ids, labels))).encode())
    return digest.hexdigest()[:10]


def _pipeline():
    return make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, max_features=200_000),
                         LogisticRegression(class_weight="balanced", max_iter=1000, C=4.0))


def cross_validated(texts, labels):
    """(precision, recall, f1) of the code's presence, each answer predicted by a model that never saw it."""
    folds = StratifiedKFold(n_splits=min(5, min(labels.count(0), labels.count(1))), shuffle=True, random_state=0)
    predicted = cross_val_predict(_pipeline(), texts, labels, cv=folds)
    precision, recall, f1, _ = precision_recall_fscore_support(labels, predicted, average="binary", zero_division=0)
    return round(float(precision), 3), round(float(recall), 3), round(float(f1), 3)


_FITTED = {}  # in the training process: {version: fitted model}, the latest few, for scoring in chunks
FITTED_KEPT = 4


def train(ids, texts, labels):
    """Train on the examples and keep the model here for score(): {"version", "examples", "positives",
    "precision", "recall", "f1"}, or None with fewer than MIN_EACH examples of either kind."""
    labels = [int(y) for y in labels]
    if min(labels.count(0), labels.count(1)) < MIN_EACH:
        return None
    precision, recall, f1 = cross_validated(texts, labels)
    version = version_of(ids, labels)
    _FITTED[version] = CalibratedClassifierCV(_pipeline(), method="sigmoid", cv=3).fit(texts, labels)
    for old in list(_FITTED)[:-FITTED_KEPT]:
        del _FITTED[old]
    return {"version": version, "examples": len(labels), "positives": labels.count(1),
            "precision": precision, "recall": recall, "f1": f1}


def score(version, texts):
    """Calibrated probabilities of the code for texts, by the model train() kept under this version."""
    return [round(float(s), 4) for s in _FITTED[version].predict_proba(texts)[:, 1]] if texts else []


def train_and_score(ids, texts, labels, candidate_ids, candidate_texts):
    """train(), then every candidate scored: the result with "scores": [(id, probability)], or None."""
    result = train(ids, texts, labels)
    return result and {**result, "scores": list(zip(candidate_ids, score(result["version"], candidate_texts)))}
