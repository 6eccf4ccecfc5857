"""Themes in a search's answers: NMF on TF-IDF (scikit-learn) splits them into k themes, each named by
its heaviest terms and shown by its three most typical answers. The same answers and seed give the
same themes, so "make this a code" codes exactly the answers the analyst saw."""
import itertools
from dataclasses import dataclass

import numpy
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from collector.search import engines
from collector.search.model import STOP_WORDS

ANSWERS_MAX, K_MAX, TERMS, EXAMPLES = 5000, 20, 8, 3


@dataclass
class Theme:
    """One theme: its terms (heaviest first), its answers' ids (most typical first)."""

    terms: list
    ids: list

    def as_json(self):
        """{"terms", "size", "examples"}: what the API shows."""
        return {"terms": self.terms, "size": len(self.ids), "examples": self.ids[:EXAMPLES]}


def find(texts, ids, k, seed):
    """k themes of the texts (fewer if the texts cannot hold k), largest first."""
    vectorizer = TfidfVectorizer(stop_words=sorted(STOP_WORDS | {"i", "my", "me", "we", "was", "were"}),
                                 min_df=2, max_df=0.9, sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no term in two answers: nothing to group by
        return []
    k = min(k, matrix.shape[0], matrix.shape[1])
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400)
    weights, terms = model.fit_transform(matrix), vectorizer.get_feature_names_out()
    themes = []
    for n in range(k):
        members = [i for i in numpy.argsort(-weights[:, n]) if weights[i, n] > 0 and weights[i].argmax() == n]
        top = [str(terms[t]) for t in numpy.argsort(-model.components_[n])[:TERMS] if model.components_[n, t] > 0]
        if members and top:
            themes.append(Theme(top, [ids[i] for i in members]))
    return sorted(themes, key=lambda theme: (-len(theme.ids), theme.terms))


def of_search(query, k, seed):
    """The themes of the first ANSWERS_MAX matching answers (newest first)."""
    docs = list(itertools.islice(engines.current().scan(query), ANSWERS_MAX))
    return find([doc.essay or "" for doc in docs], [doc.meta.id for doc in docs], k, seed)
