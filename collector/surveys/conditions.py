"""`show_if:` conditions: a small, safe expression language over earlier answers, parsed here by a
recursive-descent parser (never eval) and evaluated over a respondent's answers. Grammar, loosest first:

    condition  := either ("or" either)*           either := both ("and" both)*
    both       := "not" both | comparison           comparison := value [op value]
    op         := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in"
    value      := question id | "text" | 'text' | number | "(" condition ")"

`role == "Manager"`, `satisfaction <= 2`, `"VPN" in tools`, `not consent and (a or b)`. A question
id stands for its answer: text for essay/text/choice, a whole number for a rating, the list of
options for choices, true for a ticked consent; an unanswered (or hidden) question is nothing, and
any comparison with nothing is false.
"""
import re

from collector.surveys import SurveyError

TOKEN = re.compile(r'\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<string>"[^"]*"|\'[^\']*\')|(?P<op>==|!=|<=|>=|<|>|\(|\))'
                   r'|(?P<word>[A-Za-z_][A-Za-z0-9_]*))')
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in")
# Bounds that keep every walk of a condition short (parsing, checking, showing a form): room for
# about fifty comparisons, parentheses ten deep. 600 `or`s or 164 parentheses ran out of stack.
TOKENS_MAX = 200
PARENTHESES_MAX = 10
KEYWORDS = {"and", "or", "not", "in", "true", "false"}


def tokens(text):
    """[(kind, value)] of a condition; SurveyError at the first character that is none of them."""
    found, at, text = [], 0, str(text)
    while at < len(text.rstrip()):
        match = TOKEN.match(text, at)
        if not match:
            raise SurveyError(f"'{text[at:at + 12]}' is not part of a condition (at character {at + 1}).")
        kind = match.lastgroup
        value = match.group(kind)
        found.append(("keyword" if kind == "word" and value in KEYWORDS else kind, value))
        if len(found) > TOKENS_MAX:
            raise SurveyError(f"a condition holds at most {TOKENS_MAX} ids, values, words and signs; split this "
                              "one (a question's own show_if and its page's both apply).")
        at = match.end()
    return found


class Parser:
    """One condition's tokens into a tree of tuples: ("or"|"and", a, b), ("not", a), (op, a, b),
    ("id", name), ("lit", value)."""

    def __init__(self, text):
        self.items = tokens(text)
        self.at = 0
        self.open = 0

    def parse(self):
        """The whole condition's tree, or SurveyError saying what was expected."""
        if not self.items:
            raise SurveyError("the condition is empty.")
        tree = self.either()
        if self.at < len(self.items):
            raise SurveyError(f"unexpected '{self.items[self.at][1]}' (join conditions with 'and' or 'or').")
        return tree

    def peek(self):
        return self.items[self.at][1] if self.at < len(self.items) else None

    def take(self):
        self.at += 1
        return self.items[self.at - 1]

    def joined(self, word, operand):
        """operand (word operand)*, left to right: the `or` and `and` levels of the grammar."""
        tree = operand()
        while self.peek() == word:
            self.take()
            tree = (word, tree, operand())
        return tree

    def either(self):
        return self.joined("or", self.both)

    def both(self):
        return self.joined("and", self.negation)

    def negation(self):
        if self.peek() == "not":
            self.take()
            return ("not", self.negation())
        left = self.value()
        if self.peek() in OPERATORS:
            return (self.take()[1], left, self.value())
        return left

    def value(self):
        if self.at >= len(self.items):
            raise SurveyError("the condition ends too soon.")
        kind, text = self.take()
        if text == "(":
            return self.parenthesised()
        if kind == "number":
            return ("lit", float(text) if "." in text else int(text))
        if kind == "string":
            return ("lit", text[1:-1])
        if kind == "word":
            return ("id", text)
        if text in ("true", "false"):
            return ("lit", text == "true")
        raise SurveyError(f"expected a question id, a \"text\" or a number, not '{text}'.")


    def parenthesised(self):
        self.open += 1
        if self.open > PARENTHESES_MAX:
            raise SurveyError(f"parentheses nest at most {PARENTHESES_MAX} deep in a condition.")
        tree = self.either()
        if self.peek() != ")":
            raise SurveyError("a '(' is never closed.")
        self.take()
        self.open -= 1
        return tree


def parse(text):
    """A condition's tree; SurveyError for one that does not read."""
    return Parser(text).parse()


def names(text):
    """The question ids a condition reads."""
    return {value for kind, value in tokens(text) if kind == "word"}


def value_of(tree, answers):
    """A tree's value over the answers; a comparison with an unanswered question is false."""
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "id":
        answer = answers.get(tree[1])
        return True if answer == "y" else answer
    if kind == "not":
        return not truth(value_of(tree[1], answers))
    if kind in ("and", "or"):
        left = truth(value_of(tree[1], answers))
        if kind == "and" and not left or kind == "or" and left:
            return left
        return truth(value_of(tree[2], answers))
    return _compare(kind, value_of(tree[1], answers), value_of(tree[2], answers))


def truth(value):
    """Whether a value counts as true: answered (and not false), or a true comparison."""
    return value not in (None, False, "", [])


def _compare(op, left, right):
    if left is None or right is None:
        return False
    if op == "in":
        return isinstance(right, list) and str(left) in right
    if op in ("==", "!="):
        same = str(left) == str(right) if isinstance(left, str) or isinstance(right, str) else left == right
        return same if op == "==" else not same
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def holds(tree, answers):
    """Whether a parsed condition is true for these answers."""
    return truth(value_of(tree, answers))
