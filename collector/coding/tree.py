"""The codebook as a tree: a code may sit under a parent, at most LEVELS_MAX levels deep. Pure functions
over {code id: parent id or None}, the same for both coding stores; each walks the tree once.

A code's family is the code and every code under it: `code=parent` matches the family, and a
parent's counts are the answers carrying any code of its family (each answer once).
"""
from collector.common.error_pages import UserError
from collector.search.query import fold

# How deep codes may sit (a top-level code is level 1): deep enough for any codebook made by hand, and a
# bound on every walk up or down the tree (a 1,200-deep chain made every page slow, and exports fail).
LEVELS_MAX = 10


def children_of(parents):
    """{code id: [child ids]} from {code id: parent id}."""
    children = {}
    for code_id, parent in parents.items():
        if parent is not None and parent in parents:
            children.setdefault(parent, []).append(code_id)
    return children


def family(parents, code_id, children=None):
    """The code and every code under it (ids), the code first."""
    children = children_of(parents) if children is None else children
    found = []
    waiting = [code_id]
    while waiting:
        current = waiting.pop()
        if current not in found:  # a cycle in stored data cannot loop forever
            found.append(current)
            waiting.extend(children.get(current, []))
    return found


def ancestors(parents, code_id):
    """The codes above one, nearest first."""
    found = []
    current = parents.get(code_id)
    while current is not None and current in parents and current not in found and current != code_id:
        found.append(current)
        current = parents.get(current)
    return found


def in_cycle(parents, code_id):
    """Whether going up from the code comes back to it."""
    seen = set()
    current = parents.get(code_id)
    while current is not None and current not in seen:
        if current == code_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def levels(parents):
    """{code id: its level} of every code under the top level in one walk down (codes in a cycle have none)."""
    children = children_of(parents)
    found = {}
    waiting = [(code_id, 1) for code_id, parent in parents.items() if parent is None or parent not in parents]
    while waiting:
        code_id, at = waiting.pop()
        if code_id not in found:
            found[code_id] = at
            waiting.extend((child, at + 1) for child in children.get(code_id, []))
    return found


def level(parents, code_id):
    """How deep a code sits: 1 at the top level."""
    return len(ancestors(parents, code_id)) + 1


def levels_in(parents, code_id, children=None):
    """How many levels the code and the codes under it span: 1 for a code with none under it."""
    children = children_of(parents) if children is None else children
    deepest = 1
    waiting = [(code_id, 1)]
    seen = set()
    while waiting:
        current, levels = waiting.pop()
        if current not in seen:  # a cycle in stored data cannot loop forever
            seen.add(current)
            deepest = max(deepest, levels)
            waiting.extend((child, levels + 1) for child in children.get(current, []))
    return deepest


def check_level(parents, names, parent_id, levels=1, what="A new code"):
    """UserError 400 when `levels` levels of codes put under parent_id would sit deeper than LEVELS_MAX."""
    if parent_id is not None and level(parents, parent_id) + levels > LEVELS_MAX:
        raise UserError(f"{what} would sit deeper than {LEVELS_MAX} levels under '{names[parent_id]}' "
                        f"(level {level(parents, parent_id)}): codes sit at most {LEVELS_MAX} levels deep.")


def check_parent(parents, names, code_id, parent_id):
    """UserError 400 when putting code_id under parent_id would make a cycle, or a tree too deep."""
    if parent_id is None:
        return
    if parent_id == code_id:
        raise UserError(f"'{names[code_id]}' cannot sit under itself.")
    if parent_id in family(parents, code_id):
        raise UserError(f"'{names[parent_id]}' sits under '{names[code_id]}': a code cannot move under "
                        "its own sub-code.")
    check_level(parents, names, parent_id, levels_in(parents, code_id), f"'{names[code_id]}' or a code under it")


def families(parents, names):
    """{name: (name, names of every code under it)} for each code that has any code under it."""
    children = children_of(parents)
    return {names[code_id]: tuple(names[i] for i in family(parents, code_id, children))
            for code_id in children}


def query_vocabulary(parents, names):
    """{folded name: (name, family names)} of every code, for reading code= filters."""
    from_name = families(parents, names)
    return {fold(name): (name, from_name.get(name, (name,))) for name in names.values()}


def depth_first(rows):
    """Codebook rows (dicts with id, parent, name) in tree order, each given its `depth`; siblings by name."""
    by_id = {row["id"]: row for row in rows}
    children = children_of({row["id"]: row["parent"] for row in rows})
    roots = [row for row in rows if row["parent"] is None or row["parent"] not in by_id]
    ordered = []
    waiting = [(row, 0) for row in sorted(roots, key=_by_name, reverse=True)]
    while waiting:
        row, depth = waiting.pop()
        ordered.append(dict(row, depth=depth))
        kids = sorted((by_id[i] for i in children.get(row["id"], [])), key=_by_name, reverse=True)
        waiting.extend((kid, depth + 1) for kid in kids)
    return ordered


def _by_name(row):
    return fold(row["name"])


def roll_up(parents, own, distinct_counts):
    """{code id: answers with it or any code under it}: own counts for leaves, and for the codes with codes
    under them distinct_counts({code id: family ids}) -> {code id: answers with any of them}, asked once."""
    children = children_of(parents)
    rolled = distinct_counts({code_id: family(parents, code_id, children) for code_id in children}) if children else {}
    return {code_id: rolled.get(code_id, 0) if code_id in children else own.get(code_id, 0) for code_id in parents}
