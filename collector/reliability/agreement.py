"""Agreement between coders over a reliability data matrix (coders x units, None where a coder did not
code a unit): Krippendorff's alpha (the `krippendorff` package), pairwise Cohen's kappa
(scikit-learn), percent agreement, and a bootstrap interval for alpha over the units."""
import itertools
import math

import krippendorff
import numpy
from sklearn.metrics import cohen_kappa_score

GOOD, TENTATIVE = 0.800, 0.667  # Krippendorff's thresholds
BOOTSTRAP = 1000
SEED = 1


def pairable(matrix):
    """The units (columns) that two or more coders coded: the only ones agreement can be measured on."""
    return [unit for unit in zip(*matrix) if sum(value is not None for value in unit) >= 2]


def alpha(matrix):
    """Krippendorff's alpha (nominal) of a coders x units matrix; None when it is undefined (no units, or one
    value everywhere: nothing to tell agreement from chance by)."""
    units = pairable(matrix)
    if len({v for unit in units for v in unit if v is not None}) < 2:
        return None
    data = numpy.array([[numpy.nan if v is None else v for v in row] for row in zip(*units)], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def kappa(matrix):
    """The mean of Cohen's kappa over every pair of coders (on the units both coded); None when undefined."""
    found = []
    for first, second in itertools.combinations(matrix, 2):
        both = [(a, b) for a, b in zip(first, second) if a is not None and b is not None]
        if len({v for pair in both for v in pair}) > 1:  # else undefined, as alpha is
            value = cohen_kappa_score([a for a, _ in both], [b for _, b in both])
            found += [] if math.isnan(value) else [float(value)]
    return sum(found) / len(found) if found else None


def agreement(matrix):
    """The share of pairable units on which every coder who coded it gave the same value."""
    units = pairable(matrix)
    return sum(len({v for v in unit if v is not None}) == 1 for unit in units) / len(units) if units else None


def alpha_interval(matrix, draws=BOOTSTRAP, seed=SEED):
    """A 95% bootstrap interval for alpha: the units resampled with replacement, draws times."""
    units = pairable(matrix)
    if len(units) < 2:
        return None
    rng = numpy.random.default_rng(seed)
    found = []
    for _ in range(draws):
        picked = [units[i] for i in rng.integers(0, len(units), len(units))]
        value = alpha([list(row) for row in zip(*picked)])
        found += [value] if value is not None else []
    return [round(float(q), 3) for q in numpy.percentile(found, [2.5, 97.5])] if found else None


def verdict(value):
    """Krippendorff's reading of an alpha: good (>= 0.800), tentative (>= 0.667), or not reliable."""
    if value is None:
        return "not measurable"
    return "good" if value >= GOOD else "tentative" if value >= TENTATIVE else "not reliable"


def rounded(value):
    """A figure to 3 places (None stays None)."""
    return None if value is None else round(value, 3)


def summary(matrix):
    """alpha, its interval, kappa, agreement, units and the verdict for one matrix (rounded to 3 places)."""
    value = alpha(matrix)
    return {"alpha": rounded(value), "alpha_ci": alpha_interval(matrix), "kappa": rounded(kappa(matrix)),
            "agreement": rounded(agreement(matrix)), "units": len(pairable(matrix)), "verdict": verdict(value)}
