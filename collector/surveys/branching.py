"""Which questions a respondent sees given their earlier answers (`show_if:`, evaluated on the server: a
hidden question is neither required nor stored), and the checks `surveys check` makes of conditions
(references to earlier questions only, types that can compare, a condition that can hold)."""
from collector.surveys import conditions, reachable

NUMBER_TYPES = ("rating",)
TEXT_TYPES = ("essay", "text", "choice")
QUOTED_MAX = 120  # how much of a condition a problem quotes


def shows(condition, answers):
    """Whether a question or page with this condition (text, or empty: always) is shown."""
    return not condition or conditions.holds(conditions.parse(condition), answers)


def visible(survey, answers):
    """The survey's questions a respondent with these answers sees: on a shown page, and shown themselves.
    A condition only reads answers to questions that are visible too (a hidden one counts as unanswered)."""
    seen = {}
    shown = []
    for page in survey.page_list:
        page_on = shows(page.show_if, seen)
        for question in (survey.question(qid) for qid in page.questions):
            if page_on and shows(question.show_if, seen):
                shown.append(question)
                if question.id in answers:
                    seen[question.id] = answers[question.id]
    return shown


def condition_of(survey, question_id):
    """The parsed condition under which a question shows (its page's and its own, both), or None: always."""
    page = next((p for p in survey.page_list if question_id in p.questions), None)
    texts = [t for t in (page.show_if if page else "", survey.question(question_id).show_if) if t]
    trees = [conditions.parse(text) for text in texts]
    return None if not trees else trees[0] if len(trees) == 1 else ("and", *trees)


def check(text, earlier, later):
    """Problems with one condition (earlier: {id: Question} before it; later: ids after it), as sentences."""
    quoted = text if len(text) <= QUOTED_MAX else text[:QUOTED_MAX - 1] + "…"
    try:
        tree = conditions.parse(text)
    except conditions.SurveyError as exc:
        return [f"show_if '{quoted}': {exc}"]
    problems = []
    _kind(tree, earlier, later, problems)
    if not problems and not reachable.can_hold(tree, earlier):
        problems.append("no answers to the questions it reads can make it true, so this would never show.")
    return [f"show_if '{quoted}': {problem}" for problem in problems]


def _kind(tree, earlier, later, problems):
    """The kind of a tree's value ('number', 'text', 'list', 'bool', 'choice:<id>'), reporting mistakes."""
    kind = tree[0]
    if kind == "lit":
        return "bool" if isinstance(tree[1], bool) else "text" if isinstance(tree[1], str) else "number"
    if kind == "id":
        question = earlier.get(tree[1])
        if question is None:
            problems.append(f"'{tree[1]}' is {'a later question' if tree[1] in later else 'not a question'} "
                            "(a condition reads only the questions before it).")
            return None
        return {"rating": "number", "choices": "list", "consent": "bool"}.get(question.type, "text")
    if kind in ("and", "or", "not"):
        for part in tree[1:]:
            _kind(part, earlier, later, problems)
        return "bool"
    left = _kind(tree[1], earlier, later, problems)
    right = _kind(tree[2], earlier, later, problems)
    _comparable(kind, tree, (left, right), earlier, problems)
    return "bool"


def _comparable(op, tree, kinds, earlier, problems):
    left, right = kinds
    if None in kinds:
        return
    if op == "in":
        if right != "list" or left != "text":
            problems.append("'in' asks whether an option (\"text\") is among a choices question's answers.")
        else:
            _among(tree[1], tree[2], earlier, problems)
    elif op in ("<", "<=", ">", ">=") and (left, right) != ("number", "number"):
        problems.append(f"'{op}' compares numbers (a rating with a number), not {left} with {right}.")
    elif op in ("==", "!=") and left != right:
        problems.append(f"compares {_named(tree[1], left)} with {_named(tree[2], right)}.")
    elif op in ("==", "!="):
        for mine, other in ((tree[1], tree[2]), (tree[2], tree[1])):
            _among(other, mine, earlier, problems)


def _named(tree, kind):
    return f"the question '{tree[1]}' ({kind})" if tree[0] == "id" else f"a {kind} ({tree[1]!r})"


def _among(literal, question, earlier, problems):
    """A literal compared with a choice or choices question must be one of its options (else never true)."""
    if literal[0] != "lit" or question[0] != "id" or question[1] not in earlier:
        return
    asked = earlier[question[1]]
    if asked.type in ("choice", "choices") and str(literal[1]) not in asked.options:
        problems.append(f"'{literal[1]}' is not an option of '{asked.id}', so this can never be true.")
