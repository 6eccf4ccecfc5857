"""Near-duplicate groups: answers that say the same thing, found by their vectors.

Greedy leader grouping: the answer with the most near neighbours leads a group of every ungrouped
answer whose cosine with it is at least the threshold; then the next. Every member is that close to
the group's example (no chains of answers each a little further away), and an answer is in one group.
"""
import numpy as np


def grouped(ids, matrix, threshold):
    """[{"ids", "size", "example"}] of the groups of two or more, largest first (ids: the example first)."""
    if len(ids) < 2:
        return []
    close = (matrix @ matrix.T) >= threshold
    np.fill_diagonal(close, False)
    free = np.ones(len(ids), dtype=bool)
    found = []
    for leader in np.argsort(-close.sum(axis=1), kind="stable"):
        if not free[leader]:
            continue
        members = np.flatnonzero(close[leader] & free)
        if len(members) == 0:
            continue
        free[leader] = False
        free[members] = False
        found.append([ids[leader]] + [ids[i] for i in members])
    found.sort(key=len, reverse=True)
    return [{"ids": group, "size": len(group), "example": group[0]} for group in found]
