"""OpenSearch highlights of one text from two sub-fields, merged into one fragment.

A prefix (`deploy*`) matches the words as typed (`<field>.plain`), whole words match the stems
(`<field>`): each field's highlighter marks only its own matches, so both are asked for whole
(number_of_fragments 0) and their marks are united here. The texts are HTML-escaped by the
engine (encoder html): `<` never occurs in them but in our marks, and a cut at a space never
splits an entity.
"""
import re

from elasticsearch_dsl import Q
from markupsafe import Markup

from collector.search.distinctive import fold

MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)
FRAGMENT_CHARS = 200
LEAD_CHARS = 60


def prefix_highlights(groups, fields):
    """Highlights of each text's words as typed for the query's prefixes ({} without any): each field
    gets a regexp of the prefixes (word characters only, folded as `.plain` is), which marks every word
    that begins with one, as the embedded engine marks them."""
    prefixes = sorted({fold(t.text) for group in groups for t in group if t.prefix})
    if not prefixes:
        return {}
    return {f"{name}.plain": {"number_of_fragments": 0, "highlight_query": Q(
        "bool", should=[Q("regexp", **{f"{name}.plain": f"{p}.*"}) for p in prefixes]).to_dict()} for name in fields}


def spans(marked):
    """(the text without marks, [(start, end)] of the marked runs)."""
    text = []
    found = []
    at = 0
    for match in MARKED.finditer(marked):
        text.append(marked[at:match.start()])
        start = sum(map(len, text))
        text.append(match.group(1))
        found.append((start, start + len(match.group(1))))
        at = match.end()
    text.append(marked[at:])
    return "".join(text), found


def merged(highlights):
    """One text with the marks of every highlight of it (each the same text, differently marked)."""
    texts_spans = [spans(h) for h in highlights]
    text = texts_spans[0][0]
    united = []
    for start, end in sorted(s for _, found in texts_spans for s in found):
        if united and start <= united[-1][1]:
            united[-1] = (united[-1][0], max(end, united[-1][1]))
        else:
            united.append((start, end))
    return text, united


def window(text, marks, size=FRAGMENT_CHARS):
    """(start, end) of about `size` characters from a little before the first mark, cut at spaces."""
    first, first_end = marks[0] if marks else (0, 0)
    start = 0
    if first > LEAD_CHARS:
        space = text.find(" ", first - LEAD_CHARS, first)
        start = space + 1 if space >= 0 else first
    if start + size >= len(text):
        return start, len(text)
    space = text.rfind(" ", first_end, start + size)
    if space < 0:
        space = text.find(" ", start + size)
    return start, len(text) if space < 0 else space


def fragment(highlights, size=FRAGMENT_CHARS):
    """About `size` characters around the first mark of the united highlights, as safe Markup."""
    text, marks = merged(highlights)
    start, end = window(text, marks, size)
    out = []
    at = start
    for mark_start, mark_end in marks:
        if mark_end <= start or mark_start >= end:
            continue
        out += [text[at:mark_start], "<mark>", text[mark_start:min(mark_end, end)], "</mark>"]
        at = min(mark_end, end)
    out.append(text[at:end])
    return Markup("".join(out))
