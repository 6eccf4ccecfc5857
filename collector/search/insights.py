"""What the dashboard shows, computed the same way for both engines: top terms and chart bars."""
import itertools
import re
from collections import Counter
from datetime import date, timedelta
from itertools import islice

SAMPLE = 500  # newest matching answers read for top terms
_WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = frozenset("""
about above after again against all also and any are aren because been before being below
between both but can cannot could did didn does doesn doing don down during each few for from
further had hadn has hasn have haven having her here hers herself him himself his how into isn
its itself just let like more most much must mustn myself nor not now off once only other ought
our ours ourselves out over own same she should shouldn some such than that the their theirs them
themselves then there these they this those through too under until very was wasn were weren what
when where which while who whom why will with won would wouldn you your yours yourself yourselves
get got one really thing things lot even still well way make made also use used using
""".split())


def top_terms(docs, n=10, sample=SAMPLE):
    """The n words found in most of the first `sample` answers, stopwords left out: [(word, answers)]."""
    counts, seen = Counter(), 0
    for doc in islice(docs, sample):
        seen += 1
        counts.update({w for w in (m.lower() for m in _WORD.findall(doc.essay or "")) if w not in STOPWORDS})
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # ties: alphabetical
    return [(word, count) for word, count in ranked[:n] if count > 1 or seen == 1]


def fill_days(counts, limit=366):
    """[(date, count)] with the days between that had no answers, the last `limit` days at most."""
    if not counts:
        return []
    by_day = {date.fromisoformat(str(day)[:10]): count for day, count in counts}
    last = max(by_day)
    first = max(min(by_day), last - timedelta(days=limit - 1))
    return [(first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]


def chart_bars(per_day, width=720, height=160):
    """Bar geometry for the per-day SVG: one dict per day with x, y, w, h, day and count."""
    if not per_day:
        return []
    peak, step = max(c for _, c in per_day) or 1, width / len(per_day)
    return [
        {"x": round(i * step, 2), "w": round(max(step - 1, 1), 2), "h": round(height * c / peak, 2),
         "y": round(height - height * c / peak, 2), "day": day, "count": c}
        for i, (day, c) in enumerate(per_day)
    ]


def distribution(values, counts):
    """[(value, count)] in the question's own order (zeros kept), then values no longer offered."""
    counts = {str(k): v for k, v in counts.items()}
    ordered = [(str(v), counts.pop(str(v), 0)) for v in values]
    return ordered + sorted(counts.items())


def axis_ticks(peak, most=5):
    """Whole-number ticks from 0 to at least `peak`, 1, 2 or 5 times a power of ten apart."""
    for power in itertools.count():
        for base in (1, 2, 5):
            step = base * 10 ** power
            if -(-peak // step) <= most:  # ceil(peak / step) intervals
                return list(range(0, max(step, -(-peak // step) * step) + 1, step))


def hbars(rows, width=420, bar=22, gap=6):
    """Horizontal bar geometry [{value, count, y, w}] plus the axis ticks [{x, label}], scaled to the top tick."""
    ticks = axis_ticks(max((count for _, count in rows), default=0))
    top = ticks[-1] or 1
    bars = [{"value": value, "count": count, "y": i * (bar + gap), "h": bar, "w": round(width * count / top, 2)}
            for i, (value, count) in enumerate(rows)]
    return bars, [{"x": round(width * t / top, 2), "label": t} for t in ticks]
