"""The columns exports give the surveys' fields: which, in what order, how they read and of what kind."""


def _surveys(catalog, slug):
    """One survey (by slug) or every survey."""
    return [catalog.surveys[slug]] if slug in catalog.surveys else list(catalog.surveys.values())


def export_labels(catalog, slug=None):
    """{export column: how it reads}: each question's label (from the first survey that asks it)."""
    surveys = _surveys(catalog, slug)
    labels = {name: catalog.label(s.slug, name) for s in reversed(surveys) for name in (q.id for q in s.questions)}
    return {"submitted_at": "Submitted (UTC)", "is_spam": "Spam (1 yes, 0 no)", "codes": "Codes", **labels}


def variable_kinds(catalog, slug=None):
    """{field id: 'Text' or 'Integer'}: the choice, rating and hidden fields, as case variables."""
    surveys = _surveys(catalog, slug)
    found = {q.id: "Integer" if q.type == "rating" else "Text" for s in surveys for q in s.chart_questions}
    return {**found, **{name: "Text" for s in surveys for name in s.kept_fields}}


def export_fields(catalog, slug=None):
    """Question and hidden field ids, in definition order, of one survey or of all of them."""
    surveys = _surveys(catalog, slug)
    ids = [name for s in surveys for name in [*(q.id for q in s.questions), *s.kept_fields]]
    return list(dict.fromkeys(ids))


def questions(catalog, slug=None):
    """{field id: Question} of one survey or of all of them (the first survey that asks it)."""
    return {q.id: q for s in reversed(_surveys(catalog, slug)) for q in s.questions}
