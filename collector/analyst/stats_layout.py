"""What a statistics export's variables are, so the file needs no cleaning: a consent is 1/0, a choice is a
number with value labels (in .sav and .dta; the option's text in .xlsx), a multiple choice is one 0/1
variable per option, and each code is a 0/1 variable that is 1 when the answer has the code or any code
under it (as a search by the code finds it)."""
import itertools
import json
import re
import unicodedata
from datetime import timezone

from collector.analyst import exports
from collector.coding import tree

MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "sav": "application/x-spss-sav", "dta": "application/x-stata-dta", "qdpx": "application/zip"}
NAME_MAX = 32  # Stata's longest variable name (SPSS allows 64)
YES_NO = {0: "no", 1: "yes"}
GIVEN = {0: "not given", 1: "given"}
CHOSEN = {0: "not chosen", 1: "chosen"}


def variable_name(name, taken, prefix="code"):
    """A variable name SPSS and Stata accept (ASCII letters, digits, '_', a letter first, at most 32,
    unique without regard to case) for `name`; added to `taken`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_name).strip("_")[:NAME_MAX - 8]
    base = f"{prefix}_{base}" if base else prefix
    return first_free(taken, base, lambda n: f"{base}_{n}")


def first_free(taken, name, numbered):
    """`name`, or else numbered(2), numbered(3)... whichever `taken` lacks first (without regard to case);
    added to `taken`."""
    candidates = itertools.chain([name], map(numbered, itertools.count(2)))
    chosen = next(candidate for candidate in candidates if candidate.lower() not in taken)
    taken.add(chosen.lower())
    return chosen


class Layout:
    """The variables of one export: the CSV's columns (a multiple choice split per option), then one 0/1
    variable per code. `numbered`: choices as numbers with value labels (.sav, .dta), else as text."""

    def __init__(self, fields, codebook, labels, variables=None, questions=None, numbered=False):
        self.fields = fields
        self.codebook = codebook
        self.labels = labels
        self.variables = variables or {}  # {field: 'Text' or 'Integer'}: REFI-QDA's case variables
        self.questions = questions or {}  # {field id: Question}
        self.numbered = numbered
        taken = {column.lower() for column in exports.columns(fields)}
        self.options = {name: [variable_name(str(option), taken, name[:16]) for option in q.options]
                        for name, q in self.questions.items() if q.type == "choices" and name in fields}
        self.columns = [part for column in exports.columns(fields) for part in self.options.get(column, [column])]
        self.codes = {code["name"]: variable_name(code["name"], taken) for code in codebook}
        self.families = _families(codebook)
        self.extra = {}  # {choice field: {a value no option has: its number}}, as rows meet them

    @property
    def names(self):
        """Every variable, in order."""
        return self.columns + list(self.codes.values())

    def row(self, doc):
        """One answer as {variable: value}: text, numbers, and 1 or 0 per option and per code."""
        row = exports.as_row(doc, self.fields)
        answers = doc.answers.to_dict() if doc.answers else {}
        has = set(row["codes"])
        row.update(is_spam=int(row["is_spam"]), tags=",".join(row["tags"]), codes="; ".join(row["codes"]),
                   submitted_at=doc.submitted_at.astimezone(timezone.utc).replace(tzinfo=None),
                   edited_at=doc.edited_at.astimezone(timezone.utc).replace(tzinfo=None) if doc.edited_at else None,
                   other_answers=json.dumps(row[exports.OTHER], ensure_ascii=False) if row[exports.OTHER] else "")
        for name, question in self.questions.items():
            if name in self.fields:
                row.update(self._answer(name, question, answers.get(name)))
        row.update({variable: int(bool(has & self.families[name])) for name, variable in self.codes.items()})
        return row

    def _answer(self, name, question, value):
        """{variable: value} of one question's answer, as the layout writes it."""
        if question.type == "consent":
            return {name: int(value == "y")}
        if question.type == "choices":
            picked = set(value or [])
            return {variable: (int(option in picked) if value is not None else None)
                    for option, variable in zip(question.options, self.options[name])}
        if question.type == "choice" and self.numbered and value is not None:
            return {name: self._number(name, question, value)}
        return {}

    def _number(self, name, question, value):
        if value in question.options:
            return question.options.index(value) + 1
        extra = self.extra.setdefault(name, {})  # an option since removed: numbered after the others
        return extra.setdefault(value, len(question.options) + len(extra) + 1)

    def variable_labels(self):
        """{variable: how it reads}: question labels, '<question>: <option>', and 'Code: <name>' for each code."""
        labels = {c: self.labels.get(c, c) for c in self.columns}
        for name, variables in self.options.items():
            labels.update({variable: f"{self.labels.get(name, name)}: {option}"[:255]
                           for option, variable in zip(self.questions[name].options, variables)})
        return {**labels, **{variable: f"Code: {name}"[:255] for name, variable in self.codes.items()}}

    def value_labels(self):
        """{variable: {value: label}} for .sav and .dta (after the rows were made: they number unknown options)."""
        found = {variable: YES_NO for variable in [*self.codes.values(), "is_spam"]}
        for name, question in self.questions.items():
            if name not in self.fields:
                continue
            if question.type == "consent":
                found[name] = GIVEN
            elif question.type == "choices":
                found.update({variable: CHOSEN for variable in self.options[name]})
            elif question.type == "choice" and self.numbered:
                numbers = {n: str(option) for n, option in enumerate(question.options, 1)}
                found[name] = numbers | {n: str(value) for value, n in self.extra.get(name, {}).items()}
        return found


def _families(codebook):
    """{code name: the names of the code and every code under it}."""
    parents = {code["id"]: code.get("parent") for code in codebook}
    names = {code["id"]: code["name"] for code in codebook}
    children = tree.children_of(parents)
    return {code["name"]: {names[i] for i in tree.family(parents, code["id"], children)} for code in codebook}
