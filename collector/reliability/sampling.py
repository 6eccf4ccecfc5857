"""The units of a reliability round: a random sample of a search's answers, n of them or p percent,
optionally stratified by survey or by a choice question (each stratum in proportion to its size,
largest remainders first), reproducible from its seed."""
import random
import secrets

from werkzeug.datastructures import MultiDict

from collector.common.error_pages import UserError
from collector.search import engines
from collector.search.params import query_of
from collector.surveys import catalog

UNITS_MAX = 2000


def strata_values(stratify):
    """The values a round may be stratified by: the survey slugs, or a choice question's options."""
    if stratify == "survey":
        return [("survey", slug) for slug in catalog().surveys]
    options = {o for s in catalog().surveys.values() for q in s.questions if q.id == stratify and q.type == "choice"
               for o in q.options}
    if not options:
        raise UserError(f"'stratify' must be 'survey' or the id of a choice question, not '{str(stratify)[:60]}'.")
    return [(f"f.{stratify}", option) for option in sorted(options)]


def _ids(pairs):
    return sorted(set(engines.current().ids(query_of(MultiDict(pairs)))))


def allocate(sizes, n):
    """{stratum: how many to draw}, in proportion to sizes, summing to n (largest remainders get the rest)."""
    total = sum(sizes.values())
    exact = {key: n * size / total for key, size in sizes.items()} if total else {}
    given = {key: int(share) for key, share in exact.items()}
    for key in sorted(exact, key=lambda k: (given[k] - exact[k], k))[:n - sum(given.values())]:
        given[key] += 1
    return given


def draw(pairs, size=None, percent=None, stratify=None, seed=None):
    """(unit ids, how they were drawn) from the search's answers; UserError for a sample that cannot be."""
    everyone = _ids(pairs)
    n = size if size is not None else round(len(everyone) * percent / 100)
    if not 2 <= n <= min(len(everyone), UNITS_MAX):
        raise UserError(f"A round needs 2 to {min(len(everyone), UNITS_MAX):,} answers; the search finds "
                        f"{len(everyone):,} and the sample asks for {n:,}.")
    seed = secrets.randbelow(2**31) if seed is None else seed
    strata = {"all": everyone}
    if stratify:
        strata = {f"{k}={v}": _ids([*pairs, (k, v)]) for k, v in strata_values(stratify)}
        strata["(no value)"] = sorted(set(everyone) - {i for ids in strata.values() for i in ids})
    rng = random.Random(seed)
    units = []
    for key, k in allocate({key: len(ids) for key, ids in strata.items()}, n).items():
        units += rng.sample(strata[key], k)
    return units, {"size": n, "percent": percent, "stratify": stratify, "seed": seed, "matching": len(everyone)}
