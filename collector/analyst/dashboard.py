"""What the analyst dashboard shows for a search: figures, charts, codes and crosstab (terms load after: panels)."""
from flask import request

from collector import journal
from collector.coding import stores
from collector.search import charts
from collector.search.condition_filters import Unreadable
from collector.search.query import QueryError
from collector.surveys import branching

CODE_DAYS_SHOWN = 14  # the codes-over-time table shows the latest days that have codings


def group_choices(survey):
    """[(group, label)] a crosstab can group by: spam, and the survey's choice, rating and hidden fields."""
    choices = [("spam", "Spam or not")]
    if survey:
        choices += [(q.id, q.label) for q in survey.chart_questions]
        choices += [(name, f"{name} (hidden field)") for name in survey.hidden]
    return choices


def chosen_group(survey):
    """The crosstab group the request asks for (?group=), else the first choice."""
    choices = dict(group_choices(survey))
    group = request.args.get("group") or next(iter(choices))
    if group not in choices:
        raise QueryError(f"The table cannot group by '{group[:60]}': pick one of the listed fields.")
    return group


def code_days_table(rows):
    """(codes, [(day, {code: answers})]) for the latest days with codings, newest first."""
    days = {}
    codes = []
    for day, name, count in rows:
        days.setdefault(day, {})[name] = count
        codes += [name] if name not in codes else []
    latest = sorted(days.items(), reverse=True)[:CODE_DAYS_SHOWN]
    return sorted(codes), latest


def code_day_charts(rows, most=3):
    """[(code, day chart)] for the most used codes, on the same days: matching answers per day."""
    per_code = {}
    days = sorted({day for day, _, _ in rows})
    for day, name, count in rows:
        per_code.setdefault(name, {days[0]: 0, days[-1]: 0})[day] = count
    top = sorted(per_code, key=lambda name: (-sum(per_code[name].values()), name))[:most]
    return [(name, charts.day_chart(charts.fill_days(per_code[name].items()), width=300, height=80, labels=4))
            for name in top]


def context(engine, query, survey):
    """Everything the dashboard template needs besides the page of hits."""
    facets = tuple(q.id for q in survey.chart_questions) if survey else ()
    overview = engine.overview(query, facets)
    group = chosen_group(survey)
    codebook = stores.current().codebook()
    coded = any(code["answers"] for code in codebook)  # no coded answers: no code queries to run
    counts, days = (engine.code_counts(query), engine.code_days(query)) if coded else ({}, [])
    return {
        "overview": overview, "day_chart": charts.day_chart(overview.per_day),
        "code_bars": charts.hbars(list(counts.items())) if counts else None, "code_counts": counts,
        "code_days": code_days_table(days), "code_charts": code_day_charts(days),
        "crosstab": engine.crosstab(query, group) if coded else None,
        "groups": group_choices(survey), "group": group, "codebook": codebook,
        "backlog": journal.counts()["pending"], "shown_to": shown_to(engine, query, survey),
    }


def shown_to(engine, query, survey):
    """{question id: how many matching answers it was shown to} for the chart questions with a condition."""
    found = {}
    for question in survey.chart_questions if survey else ():
        condition = branching.condition_of(survey, question.id)
        try:
            found[question.id] = engine.count_where(query, condition) if condition is not None else None
        except Unreadable:  # one answer compared with another: said nowhere rather than guessed
            found[question.id] = None
    return {key: count for key, count in found.items() if count is not None}

