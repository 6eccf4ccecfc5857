"""Paged surveys: one page at a time, Next and Back keep what was typed, each page is checked on its
own, and only Finish on the last page journals the answer, exactly as a one-page survey does. Until
then the answer is a draft under a random resume link (`/r/<token>`), shown on every page."""
from flask import abort, g, redirect, request, url_for

from collector.respondent import answering, drafts
from collector.respondent.forms import PREFIX, answers_of, form_class, shown_answers, validated
from collector.surveys import branching, conditions


def pages_shown(survey, answers):
    """The indexes of the pages a respondent with these answers sees, in order."""
    shown = {q.id for q in branching.visible(survey, answers)}
    return [n for n, page in enumerate(survey.page_list) if any(qid in shown for qid in page.questions)
            or not page.questions]


def counted(survey, answers, at, submitted=False):
    """The pages "page n of N" counts: those shown, and the later ones whose condition reads a question the
    respondent can still answer (undecided yet, so not taken off the count too soon). Once this page was
    submitted, what it left empty is decided too: nothing it holds can bring a later page back."""
    pages = survey.page_list
    still_open = {q for page in pages[at + 1:] for q in page.questions}
    still_open |= set() if submitted else {q for q in pages[at].questions if q not in answers}
    undecided = {n for n, page in enumerate(survey.page_list)
                 if n > at and page.show_if and conditions.names(page.show_if) & still_open}
    return sorted(set(pages_shown(survey, answers)) | undecided)


def place(survey, answers, at):
    """The page to show: `at` if it is shown, else the next shown one (else the last)."""
    shown = pages_shown(survey, answers)
    return next((n for n in shown if n >= at), shown[-1])


def page_form(survey, at, shown):
    """The form class of one page (the email and the button to finish on the last shown page)."""
    return form_class(survey, survey.page_list[at].questions, at == shown[-1], g.get("language"))


def missing_page(survey, answers):
    """The first shown page with a required question left unanswered (a forged post skipped it), or None."""
    for question in branching.visible(survey, answers):
        if question.required and question.id not in answers:
            return next(n for n, page in enumerate(survey.page_list) if question.id in page.questions)
    return None


def step(survey, draft, render, finish):
    """One request to a paged survey (draft None: its first page, not saved yet). render(form, at, counted,
    draft, status) shows a page; finish(form, answers, draft) journals the answer."""
    answers = draft["answers"] if draft else {}
    at = place(survey, answers, draft["page"] if draft else 0)
    shown = pages_shown(survey, answers)
    submitted = at_end(draft, at)
    form = page_form(survey, at, shown)(data=prefilled(draft) if request.method == "GET" else None)
    if request.method == "GET":
        return render(form, at, counted(survey, answers, at, submitted), draft, 200)
    mine = set(survey.page_list[at].questions)
    merged = {k: v for k, v in answers.items() if k not in mine} | answers_of(form, survey)
    action = request.form.get("action", "next")
    if action == "back":
        return _saved(survey, draft, merged, max([n for n in shown if n < at] or [at]))
    if not validated(form, survey, merged):
        return render(form, at, counted(survey, answers, at, submitted), draft, 400)
    shown = pages_shown(survey, merged)
    later = [n for n in shown if n > at]
    if action == "finish" and not later:
        gap = missing_page(survey, shown_answers(survey, merged))
        if gap is not None:  # the server holds the line the browser drew: a skipped required question
            return _saved(survey, draft, merged, gap)
        return finish(form, shown_answers(survey, merged), draft)
    # Next with no page left: this page is the last for these answers; it comes back with Send, and says so.
    return _saved(survey, draft, merged, later[0] if later else at, end=not later)


def at_end(draft, at):
    """Whether the draft's page `at` came back as the last one: a Next found no page after it."""
    return bool(draft and draft.get("at_end") and draft["page"] == at)


def prefilled(draft):
    """A form's data from a draft: its answers, when its first page was opened, and the email of an answer
    being changed (None: no draft)."""
    if not draft:
        return None
    return {PREFIX + k: v for k, v in draft["answers"].items()} | {k: draft[k] for k in ("email", "started")
                                                                    if draft.get(k)}


def _saved(survey, draft, answers, page, end=False):
    """Keep the draft (made on the first Next) and show its page at its resume link (end: as the last page)."""
    draft = dict(draft or {"token": drafts.new_token(), "survey": survey.slug, "started": request.form.get("started"),
                           "hidden": answering.hidden_values(survey)}, answers=answers, page=page,
                 language=g.get("language"), at_end=end)
    drafts.current().put(draft)
    anchor = survey.page_list[page].id
    return redirect(url_for("survey.resume", token=draft["token"]) + (f"#page-{anchor}" if anchor else ""), 303)


def draft_or_404(token):
    """The draft with this token, or 404 (unknown, finished or expired)."""
    return drafts.current().get(token) or abort(404, description="This link is not (or no longer) a saved answer: "
                                                                  "it was sent, or it expired.")
