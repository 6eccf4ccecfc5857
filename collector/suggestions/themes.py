"""Themes in a search's answers, by words (NMF on TF-IDF, each theme named by its heaviest terms) or by
meaning (k-means on the answers' embeddings, each named by its distinctive words: clusters.py), each shown
by its three most typical answers. The same answers and seed give the same themes, so "make this a code"
codes exactly the answers the analyst saw.

Every request's cost is bounded, and the response says by what: the newest ANSWERS_MAX answers, the
first TEXT_MAX characters of each, the VOCABULARY_MAX most frequent terms, ITERATIONS_MAX rounds of
NMF on one BLAS thread, and one grouping at a time per process (a 20-theme request over 5,000 long
answers had taken 320 s, and four at once as long each).
"""
import itertools
import threading
import time
import warnings
from dataclasses import dataclass

import numpy
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from threadpoolctl import threadpool_limits

from collector import meaning
from collector.common.error_pages import UserError
from collector.search import engines
from collector.search.distinctive import IGNORED
from collector.suggestions import clusters

ANSWERS_MAX = 5000
K_MAX = 20
TERMS = 8
EXAMPLES = 3
TEXT_MAX = 2000
VOCABULARY_MAX = 2000
ITERATIONS_MAX = 200
WAIT_SECONDS = 60  # for the grouping before this one; then 503, try again
ONE_AT_A_TIME = threading.Semaphore(1)
# Words that name no theme ("which", "them", "our", "would"): scikit-learn's English list and the dashboard's.
FILLER = sorted(ENGLISH_STOP_WORDS | IGNORED)
WORDS = {"stop_words": FILLER, "min_df": 2, "token_pattern": r"(?u)\b[^\W\d_]{2,}\b", "max_features": VOCABULARY_MAX}
WAYS = ("words", "meaning")


@dataclass
class Theme:
    """One theme: its terms (heaviest first), its answers' ids (most typical first)."""

    terms: list
    ids: list

    def as_json(self):
        """{"terms", "size", "examples"}: what the API shows."""
        return {"terms": self.terms, "size": len(self.ids), "examples": self.ids[:EXAMPLES]}


@dataclass
class Grouping:
    """The themes of a search, and what bounded them: how many answers and terms they read."""

    themes: list
    answers: int
    newest_only: bool  # more answers matched: the themes are the newest ANSWERS_MAX answers'
    terms: int
    converged: bool
    seconds: float
    by: str = "words"
    waiting: int = 0  # by meaning: matching answers the background embedder has not reached yet

    def as_json(self):
        """What the API shows: the themes, then what they were found in and under which limits."""
        limits = {"answers": ANSWERS_MAX, "characters": TEXT_MAX, "terms": VOCABULARY_MAX, "iterations": ITERATIONS_MAX}
        return {"themes": [theme.as_json() for theme in self.themes], "answers": self.answers,
                "newest_only": self.newest_only, "terms": self.terms, "converged": self.converged,
                "seconds": round(self.seconds, 2), "by": self.by, "waiting": self.waiting, "limits": limits}


def find(texts, ids, k, seed):
    """(k themes of the texts, fewer if they cannot hold k, largest first; vocabulary size; converged)."""
    vectorizer = TfidfVectorizer(max_df=0.9, sublinear_tf=True, **WORDS)
    try:
        matrix = vectorizer.fit_transform(text[:TEXT_MAX] for text in texts)
    except ValueError:  # no term in two answers: nothing to group by
        return [], 0, True
    k = min(k, matrix.shape[0], matrix.shape[1])
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=ITERATIONS_MAX)
    # several requests at once must not fight over BLAS threads
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore", ConvergenceWarning)  # said in the response instead
        weights = model.fit_transform(matrix)
    terms = vectorizer.get_feature_names_out()
    themes = []
    for n in range(k):
        members = [i for i in numpy.argsort(-weights[:, n]) if weights[i, n] > 0 and weights[i].argmax() == n]
        top = [str(terms[t]) for t in numpy.argsort(-model.components_[n])[:TERMS] if model.components_[n, t] > 0]
        if members and top:
            themes.append(Theme(top, [ids[i] for i in members]))
    return sorted(themes, key=lambda theme: (-len(theme.ids), theme.terms)), len(terms), model.n_iter_ < ITERATIONS_MAX


def found_by_meaning(texts, ids, matrix, k, seed):
    """As find, with the answers grouped by their embeddings (matrix: one row per text)."""
    groups, converged = clusters.clustered(matrix, k, seed, ITERATIONS_MAX)
    named, terms = clusters.distinctive([text[:TEXT_MAX] for text in texts], groups, CountVectorizer(**WORDS), TERMS)
    themes = [Theme(top, [ids[i] for i in members]) for top, members in zip(named, groups)]
    return sorted(themes, key=lambda theme: (-len(theme.ids), theme.terms)), terms, converged


def of_search(query, k, seed, by="words"):
    """The Grouping of the newest ANSWERS_MAX matching answers; UserError 503 while others keep this process busy."""
    if by == "meaning":
        meaning.required()
    if not ONE_AT_A_TIME.acquire(timeout=WAIT_SECONDS):
        raise UserError("Themes are being found for other searches just now: try again in a minute.", 503)
    try:
        started = time.perf_counter()
        docs = list(itertools.islice(engines.current().scan(query), ANSWERS_MAX + 1))
        newest = docs[:ANSWERS_MAX]
        texts = {doc.meta.id: doc.essay or "" for doc in newest}
        # Answers in the order of their texts: the same answers give the same themes, whatever order the
        # engine returned them in and whatever ids they were given.
        if by == "meaning":
            ids, matrix = engines.current().vectors(query, ANSWERS_MAX)
            kept = sorted((texts[doc_id], doc_id, n) for n, doc_id in enumerate(ids) if doc_id in texts)
            ids = [doc_id for _, doc_id, _ in kept]
            themes, terms, converged = found_by_meaning([texts[i] for i in ids], ids, matrix[[n for *_, n in kept]], k, seed)
        else:
            ids = sorted(texts, key=lambda doc_id: (texts[doc_id], doc_id))
            themes, terms, converged = find([texts[i] for i in ids], ids, k, seed)
        return Grouping(themes, len(ids), len(docs) > ANSWERS_MAX, terms, converged, time.perf_counter() - started,
                        by, len(texts) - len(ids))
    finally:
        ONE_AT_A_TIME.release()
