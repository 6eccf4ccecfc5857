"""A round's report: per code and overall, the agreement of its coders on each unit (a code present or
absent), the units they disagree on, and each coder's progress."""
from collector.common import lazy

agreement = lazy.module("collector.reliability.agreement")  # krippendorff and scikit-learn, for a report only


def code_names(round_, codebook_names):
    """{code id as text: name}: the round's codes by their names now (or at the start, for one deleted since)."""
    return {str(code_id): codebook_names.get(str(code_id), name) for code_id, name in round_["codes"]}


def matrix(round_, judgments, code_id):
    """Coders x units: 1 where the coder gave the code, 0 where they coded the unit without it, None if not coded."""
    return [[None if unit not in said else int(str(code_id) in map(str, said[unit])) for unit in round_["units"]]
            for said in judgments.values()]


def disagreements(round_, judgments):
    """The units two or more coders coded, with not the same codes."""
    found = []
    for unit in round_["units"]:
        given = [frozenset(map(str, said[unit])) for said in judgments.values() if unit in said]
        if len(given) >= 2 and len(set(given)) > 1:
            found.append(unit)
    return found


def build(round_, judgments, codebook_names, decisions=None, models=None):
    """{overall, codes: {name: summary}, disagreements, decided, progress, models} for a round. models:
    {code id: (model version, {unit: 0 or 1})}: each code's model, read as one more coder of that code."""
    names = code_names(round_, codebook_names)
    judgments = {coder: judgments.get(coder, {}) for coder in round_["coders"]}  # every coder, in order
    per_code = {code_id: matrix(round_, judgments, code_id) for code_id in names}
    overall = [[value for code_id in names for value in per_code[code_id][row]] for row in range(len(judgments))]
    return {"overall": agreement.summary(overall),
            "codes": {names[code_id]: agreement.summary(m) for code_id, m in per_code.items()},
            "disagreements": disagreements(round_, judgments), "decided": sorted(decisions or {}),
            "progress": progress(round_, judgments),
            "models": {names[code_id]: {"version": version, **agreement.summary(
                per_code[code_id] + [[said.get(unit) for unit in round_["units"]]])}
                for code_id, (version, said) in (models or {}).items() if code_id in names}}


def progress(round_, judgments):
    """{coder: how many of the round's units they have coded}."""
    return {coder: len(set(round_["units"]) & set(judgments.get(coder, {}))) for coder in round_["coders"]}


def rows(round_, judgments, codebook_names, decisions):
    """The round as CSV rows: a header, then one row per unit and coder (and the decision, if any), 0/1 per code."""
    names = code_names(round_, codebook_names)
    yield ["answer_id", "coder", *(f"code:{name}" for name in names.values())]
    for unit in round_["units"]:
        for coder in round_["coders"]:
            said = judgments.get(coder, {})
            if unit in said:
                yield [unit, coder, *(int(code_id in map(str, said[unit])) for code_id in names)]
        if unit in decisions:
            decided = decisions[unit]
            yield [unit, f"decision:{decided['by']}", *(int(code_id in map(str, decided["codes"])) for code_id in names)]
