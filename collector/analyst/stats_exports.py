"""Exports for statistics: XLSX, SPSS .sav and Stata .dta, laid out by stats_layout.py.

They carry the same filtered selection and columns as the CSV. XLSX is written row by row
(XlsxWriter's constant_memory) into a temporary file; .sav and .dta go through one pandas
DataFrame, since pyreadstat writes whole frames, so their memory grows with the selection
(docs/benchmarks.md has the peak at 100,000 answers). No cell is ever a formula: XLSX text is
written as text, and SPSS and Stata have none.
"""
import re

import pandas
import pyreadstat
import xlsxwriter

from collector.analyst.stats_layout import NAME_MAX, first_free

# Words Stata keeps for itself (its manual, "Variable names"), and str1 ... str2045.
STATA_RESERVED = {"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_pi",
                  "_pred", "_rc", "_skip", "strl", "using", "with"}
STATA_STR = re.compile(r"str[0-9]+")


def write_xlsx(docs, layout, path):
    """Answers (one row each) and the codebook, each on its own sheet; how many answers."""
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False, "remove_timezone": True})
    answers = book.add_worksheet("answers")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    answers.write_row(0, 0, layout.names)
    count = 0
    for count, doc in enumerate(docs, 1):
        for column, value in enumerate(layout.row(doc)[name] for name in layout.names):
            _cell(answers, count, column, value, when)
    sheet = book.add_worksheet("codebook")
    sheet.write_row(0, 0, ["variable", "code", "description", "answers (all)"])
    for n, code in enumerate(layout.codebook, 1):
        sheet.write_row(n, 0, [layout.codes[code["name"]], code["name"], code["description"] or "", code["answers"]])
    book.close()
    return count


def _cell(sheet, row, column, value, when):
    if value is None or value == "":
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, column, value)
    elif hasattr(value, "year"):
        sheet.write_datetime(row, column, value, when)
    else:
        sheet.write_string(row, column, str(value))  # text stays text: never a formula or a link


def write_labelled(docs, layout, path, fmt):
    """SPSS .sav or Stata .dta with variable labels and value labels; how many answers."""
    rows = [layout.row(doc) for doc in docs]
    frame = pandas.DataFrame(rows, columns=layout.names)
    labels = layout.variable_labels()
    value_labels = {variable: found for variable, found in layout.value_labels().items() if variable in labels}
    for column in frame.columns:
        if column in value_labels:  # numbers, missing where not answered
            frame[column] = pandas.to_numeric(frame[column])
        elif frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: "" if v is None else str(v))
    # Stata: 80 at most
    column_labels = [labels[c][:80] if fmt == "dta" else labels[c] for c in frame.columns]
    # Stata refuses its reserved words and names over 32 characters: renamed (the label keeps it)
    if fmt == "dta":
        renamed = stata_names(list(frame.columns))
        frame = frame.rename(columns=renamed)
        value_labels = {renamed[variable]: labels for variable, labels in value_labels.items()}
    writer = pyreadstat.write_sav if fmt == "sav" else pyreadstat.write_dta
    writer(frame, path, column_labels=column_labels, variable_value_labels=value_labels)
    return len(rows)


def stata_names(names):
    """{name: a name Stata takes}: a reserved word gains a trailing '_', a longer name is cut to 32
    characters; either, if taken, ends in _2, _3...; every other name stays as it is."""
    taken = {name.lower() for name in names}
    renamed = {}
    for name in names:
        if name.lower() not in STATA_RESERVED and not STATA_STR.fullmatch(name) and len(name) <= NAME_MAX:
            renamed[name] = name
            continue
        base = f"{name[:NAME_MAX - 1]}_" if len(name) < NAME_MAX else name[:NAME_MAX]
        renamed[name] = first_free(taken, base, lambda n, name=name: f"{name[:NAME_MAX - len(str(n)) - 1]}_{n}")
    return renamed
