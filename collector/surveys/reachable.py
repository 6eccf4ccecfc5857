"""Whether a `show_if` condition can ever hold: every answer the questions it reads could be given is
tried (each option, each rating, answered or not; for a text, the words it is compared with and one
other), so a condition no respondent can meet (`satisfaction > 5` on a 1-5 rating, `role == "A" and
role == "B"`) is refused by `surveys check` instead of hiding its page or question for ever."""
import itertools

from collector.surveys import conditions

TRIES_MAX = 100_000  # beyond this many combinations the check gives the condition the benefit of the doubt
OTHER = "\x00another answer"  # a text unlike any the condition names


def can_hold(tree, earlier):
    """False only when no answers to the questions the tree reads make it true (earlier: {id: Question})."""
    names = sorted(names_of(tree) & set(earlier))
    literals = literals_of(tree)
    # counted before any is made
    if _product_size(_count(earlier[name], literals) for name in names) > TRIES_MAX:
        return True
    choices = [answers_to_try(earlier[name], literals) for name in names]
    for values in itertools.product(*choices):
        answers = {name: value for name, value in zip(names, values) if value is not None}
        if conditions.holds(tree, answers):
            return True
    return False


def _count(question, literals):
    """How many answers _answers would try for the question (a choices question's are 2^n subsets)."""
    if question.type == "choices":
        return 2 ** len(_picks(question, literals))
    return len(answers_to_try(question, literals))


def _picks(question, literals):
    """The options of a choices question worth combining: those the condition names, and one other."""
    return [o for o in question.options if o in literals] + [o for o in question.options if o not in literals][:1]


def answers_to_try(question, literals):
    """The answers worth trying for one question, None (unanswered) among them."""
    if question.type == "rating":
        return [None, *range(question.min, question.max + 1)]
    if question.type == "consent":
        return [None, "y"]
    if question.type == "choice":
        return [None, *question.options]
    if question.type == "choices":
        picks = _picks(question, literals)
        return [None, *(list(c) for n in range(1, len(picks) + 1) for c in itertools.combinations(picks, n))]
    return [None, OTHER, *(str(v) for v in literals)]


def names_of(tree):
    """The question ids a condition's tree reads."""
    if tree[0] == "id":
        return {tree[1]}
    return set() if tree[0] == "lit" else set().union(*(names_of(part) for part in tree[1:]))


def literals_of(tree):
    """Every literal a condition's tree compares with."""
    if tree[0] == "lit":
        return {tree[1]}
    return set() if tree[0] == "id" else set().union(*(literals_of(part) for part in tree[1:]))


def _product_size(counts):
    size = 1
    for count in counts:
        size *= count
        if size > TRIES_MAX:
            break
    return size
