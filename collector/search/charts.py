"""What the dashboard shows, computed the same way for both engines: common words, days, chart geometry."""
import itertools
from datetime import date, timedelta

STOPWORDS = frozenset("""
about above after again against all also and any are aren because been before being below
between both but can cannot could did didn does doesn doing don down during each few for from
further had hadn has hasn have haven having her here hers herself him himself his how into isn
its itself just let like more most much must mustn myself nor not now off once only other ought
our ours ourselves out over own same she should shouldn some such than that the their theirs them
themselves then there these they this those through too under until very was wasn were weren what
when where which while who whom why will with won would wouldn you your yours yourself yourselves
get got one really thing things lot even still well way make made also use used using
i me my mine we us im ive youre
""".split())


def fill_days(counts, limit=366):
    """[(date, count)] with the days between that had no answers, the last `limit` days at most."""
    if not counts:
        return []
    by_day = {date.fromisoformat(str(day)[:10]): count for day, count in counts}
    last = max(by_day)
    first = max(min(by_day), last - timedelta(days=limit - 1))
    return [(first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]


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


def day_chart(per_day, width=680, height=150, widest=40, labels=7):
    """Per-day bars on a count axis: {bars, y_ticks, x_ticks, ...} in a width x height plot area.

    A bar is at most `widest` wide, so one day is a bar, not a block; at most `labels` dates are
    labelled, the first with its year.
    """
    if not per_day:
        return None
    ticks = axis_ticks(max(count for _, count in per_day))
    top = ticks[-1] or 1
    step = width / len(per_day)
    bar = min(max(step - 1, 1), widest)
    bars = [{"x": round(i * step + (step - bar) / 2, 2), "w": round(bar, 2), "h": round(height * c / top, 2),
             "y": round(height - height * c / top, 2), "day": day, "count": c} for i, (day, c) in enumerate(per_day)]
    every = max(1, -(-len(per_day) // labels))
    x_ticks = [{"x": round(b["x"] + b["w"] / 2, 2), "label": b["day"].strftime("%-d %b %Y" if i == 0 else "%-d %b")}
               for i, b in enumerate(bars) if i % every == 0]
    y_ticks = [{"y": round(height - height * t / top, 2), "label": f"{t:,}"} for t in ticks]
    return {"bars": bars, "x_ticks": x_ticks, "y_ticks": y_ticks, "width": width, "height": height,
            "first": per_day[0][0], "last": per_day[-1][0], "peak": max(c for _, c in per_day)}
