"""How analyst pages present results: distribution charts, removable filter chips, hits as JSON."""
from urllib.parse import urlencode

from flask import request, url_for

from collector.accounts import auth
from collector.search import charts as geometry
from collector.surveys import catalog


def filter_chips(survey):
    """(label, value, link without it) for each f.<id> filter of the request."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    return [(catalog().label(survey.slug if survey else None, key[2:]), value,
             url_for("analyst.index") + "?" + urlencode([p for p in pairs if p != (key, value)]))
            for key, value in pairs if key.startswith("f.")]


def charts(survey, overview):
    """(question, bars, ticks) for each choice, choices and rating question of the survey."""
    questions = survey.chart_questions if survey else ()
    return [(q, *geometry.hbars(geometry.distribution(q.values, overview.distributions.get(q.id, {}))))
            for q in questions]


def group_filter(group, value):
    """The search parameters that select one value of a crosstab group."""
    if group == "spam":
        return {"spam": "only" if value == "true" else "exclude"}
    return {f"f.{group}": value}


def crosstab_json(tab):
    """A Crosstab as JSON: per group value, its answers and each code's count and row percentage."""
    rows = [{"value": value, "answers": answers,
             "codes": {name: {"count": cells.get(name, 0), "percent": round(100 * cells.get(name, 0) / answers, 1)}
                       for name in tab.codes}}
            for value, answers, cells in tab.rows]
    return {"group": tab.group, "codes": tab.codes, "rows": rows}


def doc_json(doc, codes=()):
    """An answer as the JSON API shows it, with its codes."""
    return {
        "id": doc.meta.id,
        "receipt": doc.receipt,
        "submitted_at": doc.submitted_at.isoformat(),
        "edited_at": doc.edited_at.isoformat() if doc.edited_at else None,
        "version": len(doc.history or []) + 1,  # the answer's own: 2 after the respondent's first change
        **({"email": doc.email} if auth.sees_emails() else {}),  # a viewer never sees an address
        "is_spam": doc.is_spam,
        "spam_score": doc.spam_score,
        "tags": list(doc.tags),
        "survey": doc.survey,
        "survey_version": doc.survey_version,
        "answers": doc.answers.to_dict() if doc.answers else {},
        "codes": list(codes),
        **({"history": [version.to_dict() for version in doc.history]} if doc.history else {}),  # edited only
    }


def hit_json(hit, codes=()):
    """A Hit as the JSON API shows it: the answer, its codes, and where the words matched."""
    return {
        **doc_json(hit.doc, codes),
        "question": hit.question,
        "question_label": catalog().label(hit.doc.survey, hit.question),
        "highlight": str(hit.highlight),
        **({} if hit.similarity is None else {"similarity": round(hit.similarity, 4)}),
    }
