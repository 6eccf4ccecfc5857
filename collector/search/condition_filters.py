"""A survey's show_if condition (a tree of tuples, as surveys/conditions.py parses it) as each engine
reads it over stored answers: the answers a question was shown for. A hidden question's answer was
never stored, so a condition reading it finds nothing there, as it did for the respondent.
Trees: ("and"|"or", a, b), ("not", a), (op, a, b) with op in == != < <= > >= in, ("id", name), ("lit", v)."""
from elasticsearch_dsl import Q

FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
RANGE = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}


class Unreadable(ValueError):
    """A condition the engines cannot count (it compares two questions)."""


def comparison(tree):
    """(op, question id, literal) of a comparison, the question first."""
    op, left, right = tree
    if op == "in" and left[0] == "lit" and right[0] == "id":
        return "in", right[1], left[1]
    if left[0] == "id" and right[0] == "lit":
        return op, left[1], right[1]
    if left[0] == "lit" and right[0] == "id" and op != "in":
        return FLIP[op], right[1], left[1]
    raise Unreadable("a condition comparing two answers")


def sql(tree):
    """(SQL over the rows `r`, params)."""
    kind = tree[0]
    if kind in ("and", "or"):
        (a, pa), (b, pb) = sql(tree[1]), sql(tree[2])
        return f"(({a}) {kind.upper()} ({b}))", pa + pb
    if kind == "not":
        inner, params = sql(tree[1])
        return f"NOT ({inner})", params
    if kind == "id":
        return "json_type(r.answers, ?) IS NOT NULL", [f"$.{tree[1]}"]
    if kind == "lit":
        return ("1" if tree[1] not in (None, False, "") else "0"), []
    op, field, value = comparison(tree)
    test = {"in": "=", "==": "="}.get(op, op)
    return f"r.seq IN (SELECT seq FROM answer_values WHERE field = ? AND value {test} ?)", [field, value]


def dsl(tree):
    """An elasticsearch-dsl query over the documents' `answers`."""
    kind = tree[0]
    if kind in ("and", "or"):
        a = dsl(tree[1])
        b = dsl(tree[2])
        return a & b if kind == "and" else a | b
    if kind == "not":
        return ~dsl(tree[1])
    if kind == "id":
        return Q("exists", field=f"answers.{tree[1]}")
    if kind == "lit":
        return Q("match_all") if tree[1] not in (None, False, "") else ~Q("match_all")
    op, field, value = comparison(tree)
    name = f"answers.{field}"
    if op in RANGE:
        return Q("range", **{name: {RANGE[op]: value}})
    same = Q("term", **{name: value})
    return Q("exists", field=name) & ~same if op == "!=" else same
