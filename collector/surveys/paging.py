"""A survey's pages, as its definition gives them: `pages:` (each with a title, a `show_if` and its
`questions:`) or `page_break` entries between questions; and the checks of every `show_if`."""
import re

from collector.surveys import PAGE_KEYS, Page, branching
from collector.surveys.questions import unknown_keys

BREAK = "page_break"
PAGE_ID = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def _is_break(item):
    return item == BREAK or isinstance(item, dict) and set(item) == {BREAK}


def split(entry, where, problems):
    """(question entries, [(title, show_if, how many questions, id)]) of a survey entry (no pages: [])."""
    if "pages" in entry:
        if "questions" in entry or not isinstance(entry["pages"], list) or not entry["pages"]:
            problems.add(where, "give either 'questions:' or 'pages:' (a list of pages, each with 'questions:').")
            return [], []
        questions = []
        pages = []
        for n, page in enumerate(entry["pages"], 1):
            if not isinstance(page, dict) or not isinstance(page.get("questions"), list):
                problems.add(f"{where}, page #{n}", "each page is a mapping with a 'questions:' list.")
                continue
            unknown_keys(page, PAGE_KEYS, f"{where}, page #{n}", problems)
            questions += page["questions"]
            pages.append((page.get("title"), page.get("show_if"), len(page["questions"]), page.get("id")))
        return questions, pages
    items = entry.get("questions")
    if not isinstance(items, list) or not any(_is_break(item) for item in items):
        return items, []
    questions = []
    pages = []
    opened = {}
    for item in [*items, BREAK]:
        if _is_break(item):
            count = len(questions) - sum(p[2] for p in pages)
            pages.append((opened.get("title"), opened.get("show_if"), count, opened.get("id")))
            settings = item.get(BREAK) if isinstance(item, dict) else None
            opened = settings if isinstance(settings, dict) else {}
        else:
            questions.append(item)
    return questions, pages


def pages_of(page_entries, questions, where, problems):
    """The survey's Pages (none when it has one page), every condition checked against earlier questions."""
    pages = []
    at = 0
    for n, (title, show_if, count, page_id) in enumerate(page_entries, 1):
        ids = tuple(q.id for q in questions[at:at + count])
        if not ids:
            problems.add(f"{where}, page #{n}", "has no questions (two page breaks in a row?).")
        page_id = _checked_id(page_id, [page.id for page in pages], f"{where}, page #{n}", problems)
        pages.append(Page(ids, str(title or "").strip(), str(show_if or "").strip(), page_id))
        at += count
    _check_conditions(pages or [Page(tuple(q.id for q in questions))], questions, where, problems)
    return tuple(pages)


def _checked_id(page_id, taken, where, problems):
    """A page's optional id: 1-40 of a-z, 0-9, '-' and '_' (a letter first), unique in the survey; '' if none."""
    if page_id is None:
        return ""
    if not isinstance(page_id, str) or not PAGE_ID.fullmatch(page_id):
        problems.add(where, f"id {page_id!r} must be 1-40 of a-z, 0-9, '-' and '_', starting with a letter.")
        return ""
    if page_id in taken:
        problems.add(where, f"id '{page_id}' is used twice in this survey.")
    return page_id


def _check_conditions(pages, questions, where, problems):
    """A page's condition reads the pages before it; a question's, the questions before it."""
    by_id = {q.id: q for q in questions}
    order = [q.id for q in questions]
    for n, page in enumerate(pages, 1):
        first = order.index(page.questions[0]) if page.questions else len(order)
        if page.show_if:
            for problem in branching.check(page.show_if, {i: by_id[i] for i in order[:first]}, order[first:]):
                problems.add(f"{where}, page #{n}", problem)
        for qid in page.questions:
            at = order.index(qid)
            for problem in branching.check(by_id[qid].show_if, {i: by_id[i] for i in order[:at]}, order[at:]) \
                    if by_id[qid].show_if else []:
                problems.add(f"{where}, question '{qid}'", problem)
