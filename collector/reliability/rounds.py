"""What rounds do, for the pages and the JSON alike: start one, code a unit blind, close, report, adjudicate."""
from werkzeug.datastructures import MultiDict

from collector.accounts import auth
from collector.coding import stores as coding_stores
from collector.coding.saved import params_of
from collector.common.error_pages import UserError
from collector.reliability import report, sampling, stores
from collector.search import engines
from collector.suggestions import suggest

NAME_MAX = 100


def round_or_404(round_id):
    """The round with this id, or UserError 404."""
    found = stores.current().find_round(round_id)
    if not found:
        raise UserError("There is no such round.", 404)
    return found


def _coders(names):
    people = auth.people()
    if not isinstance(names, list) or len(set(map(str, names))) < 2:
        raise UserError("A round needs two or more coders, by their analyst names.")
    unknown = [str(name) for name in names if name not in people]
    if unknown:
        raise UserError(f"'{unknown[0][:60]}' is not an analyst of this site.")
    viewers = [str(name) for name in names if people[name] == "viewer"]
    if viewers:
        raise UserError(f"'{viewers[0][:60]}' is a viewer: a coder in a round needs the coder role or above.")
    return list(dict.fromkeys(names))


def start(name, code_names, params, coders, size=None, percent=None, stratify=None, seed=None, creator_decides=False):
    """A new round over a sample of the search params (a MultiDict) finds; the round. creator_decides: its
    creator may close and adjudicate it although they are one of its coders."""
    name = " ".join(str(name or "").split())
    if not 1 <= len(name) <= NAME_MAX:
        raise UserError(f"A round needs a name of 1 to {NAME_MAX} characters.")
    if not isinstance(code_names, list) or not code_names:
        raise UserError("A round needs one or more codes, by their names.")
    codes = [coding_stores.current().code_named(str(n)) for n in dict.fromkeys(code_names)]
    pairs = params_of(params)
    units, sample = sampling.draw(pairs, size, percent, stratify, seed)
    fields = {"name": name, "codes": [[c["id"], c["name"]] for c in codes], "params": pairs, "units": units,
              "coders": _coders(coders), "sample": sample, "creator_decides": bool(creator_decides)}
    return stores.current().create_round(fields, auth.current_analyst())


def code_list(round_):
    """The round's codes by their names now."""
    return list(report.code_names(round_, _codebook_names()).values())


def own_codes(round_, coder):
    """{unit: [code names]} of one coder: all anyone may see of a round while it is open."""
    names = report.code_names(round_, _codebook_names())
    said = stores.current().judgments(round_).get(coder, {})
    return {unit: [names[str(c)] for c in codes if str(c) in names] for unit, codes in said.items()}


def _codebook_names():
    return {str(code_id): name for code_id, name in coding_stores.current().code_tree()[1].items()}


def _code_ids(round_, names):
    by_name = {name.casefold(): code_id for code_id, name in report.code_names(round_, _codebook_names()).items()}
    if not isinstance(names, list) or any(str(n).casefold() not in by_name for n in names):
        raise UserError("'codes' must list codes of the round, by their names.")
    return sorted({by_name[str(n).casefold()] for n in names})


def code_unit(round_, answer_id, names):
    """The caller's codes for one unit of a round they code (a list of names, maybe empty)."""
    coder = auth.current_analyst()
    if coder not in round_["coders"]:
        raise UserError("You are not one of this round's coders.", 403)
    if answer_id not in round_["units"]:
        raise UserError("That answer is not in this round.", 404)
    stores.current().judge(round_, coder, answer_id, _code_ids(round_, names))


def full_report(round_):
    """The round's report: only once it is closed, so no coder sees another's codes before."""
    if not round_["closed_at"]:
        raise UserError("The round is open: its report shows once it is closed.", 409)
    store = stores.current()
    return report.build(round_, store.judgments(round_), _codebook_names(), store.decisions(round_),
                        model_coders(round_))


def model_coders(round_):
    """{code id: (version, {unit: 0 or 1})}: each round code's suggestion model as a coder, on the units it
    scored (never on its own training examples), present at a calibrated probability of 0.5 or more."""
    found = {}
    for code_id in report.code_names(round_, _codebook_names()):
        code = coding_stores.current().code_by_id(code_id)
        model_json, _, scores = suggest.state(code) if code else (None, None, [])
        if model_json:
            units = set(round_["units"])
            by_answer = dict(scores)
            found[code_id] = (model_json["version"], {u: int(by_answer[u] >= 0.5) for u in units if u in by_answer})
    return found


def refusal_to_decide(round_):
    """Why the signed-in person may not close the round or decide its disagreements, or None when they may:
    its creator or an admin, never one of its own coders, unless the creator is one and the round allows
    it."""
    me = auth.current_analyst()
    creator = round_["created_by"]
    if me in round_["coders"]:
        if me != creator or not round_.get("creator_decides"):
            return ("You code in this round, so you cannot close it or decide its disagreements: "
                    "its creator or an admin does, unless the creator started it allowing it.")
    elif me != creator and not auth.holds("admin"):
        return f"Only the round's creator ({creator}) or an admin closes it and decides its disagreements."
    return None


def check_may_decide(round_):
    """UserError 403 unless the signed-in person may close the round and decide its disagreements."""
    if refused := refusal_to_decide(round_):
        raise UserError(refused, 403)


def adjudicate(round_, answer_id, names):
    """Decide a unit's codes: the answer's codes for the round's codes become these (coded by the adjudicator)."""
    if not round_["closed_at"]:
        raise UserError("Close the round before deciding its disagreements.", 409)
    if answer_id not in round_["units"] or engines.current().get(answer_id) is None:
        raise UserError("That answer is not in this round.", 404)
    chosen = _code_ids(round_, names)
    actor = auth.current_analyst()
    names_now = report.code_names(round_, _codebook_names())
    live = [code_id for code_id in names_now if code_id in _codebook_names()]
    coding_stores.current().change_codes(answer_id, [names_now[c] for c in chosen if c in live],
                                         [names_now[c] for c in live if c not in chosen], actor)
    stores.current().decide(round_, answer_id, chosen, actor)


def params_from_json(params):
    """A JSON object of search parameters as request arguments; UserError when it is not one."""
    if not isinstance(params, dict):
        raise UserError("'params' must be an object of search parameters.")
    return MultiDict([(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])])
