"""Themes by meaning: k-means over the answers' sentence embeddings, each cluster named by its distinctive
words, so answers that say one thing in different words land in one theme.

A cluster's words are ranked by class-based TF-IDF (as BERTopic names its topics): a word's share of the
cluster's words, weighed by how rare the word is across all clusters. A word every cluster uses names none.
"""
import warnings

import numpy
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer
from threadpoolctl import threadpool_limits

# k-means runs from this many starts and keeps the tightest (4 let the order of the answers matter)
RESTARTS = 10


def clustered(matrix, k, seed, iterations):
    """([member indices, most typical first] per cluster, whether k-means settled): k clusters of the rows of
    matrix (unit vectors, so Euclidean k-means follows cosine)."""
    k = min(k, len(matrix))
    if k < 1:
        return [], True
    model = KMeans(n_clusters=k, n_init=RESTARTS, random_state=seed, max_iter=iterations)
    # several requests at once must not fight over BLAS threads
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore", ConvergenceWarning)  # said in the response instead
        labels = model.fit_predict(matrix)
    closeness = numpy.einsum("ij,ij->i", matrix, model.cluster_centers_[labels])
    members = []
    for cluster in range(k):
        inside = numpy.flatnonzero(labels == cluster)
        members.append([int(i) for i in inside[numpy.argsort(-closeness[inside], kind="stable")]])
    return [group for group in members if group], model.n_iter_ < iterations


def distinctive(texts, clusters, vectorizer: CountVectorizer, n):
    """([the n most distinctive words of each cluster], vocabulary size); no words when the texts share none."""
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # no word in two answers
        return [[] for _ in clusters], 0
    per_cluster = numpy.vstack([numpy.asarray(counts[members].sum(axis=0)).ravel() for members in clusters])
    share = per_cluster / numpy.maximum(per_cluster.sum(axis=1, keepdims=True), 1)
    rarity = numpy.log1p(per_cluster.sum() / len(clusters) / numpy.maximum(per_cluster.sum(axis=0), 1))
    scores = share * rarity
    terms = vectorizer.get_feature_names_out()
    named = [[str(terms[t]) for t in numpy.argsort(-row, kind="stable")[:n] if row[t] > 0] for row in scores]
    return named, len(terms)
