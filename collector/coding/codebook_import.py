"""Importing a codebook file: a dry-run diff first, then applied through the coding store.

Codes match by name (any case, any Unicode normal form). An import adds the codes the codebook
lacks; where the file differs it changes a name's spelling, a description, a definition, an
exclusion rule or a code's parent. It never deletes a code (one the file leaves out is only
listed), and a second import of the same file changes nothing.
"""
from dataclasses import dataclass

from collector.coding import codebook_file, codebook_qdc, tree
from collector.coding.codebook_file import entry_of
from collector.search.model import fold

FIELDS = {"description": "new description", "definition": "new definition", "exclusion": "new exclusion rule"}


def parse(text):
    """The entries of a codebook file: REFI-QDA QDC when it is XML, else YAML."""
    return codebook_qdc.parse_qdc(text) if text.lstrip().startswith("<") else codebook_file.parse_yaml(text)


@dataclass
class Plan:
    """What an import would do: entries to add, (code row, entry) to change, codes left alone."""

    add: list
    change: list
    untouched: list

    def lines(self):
        """The dry run as a person reads it."""
        said = [f"+ add '{entry['name']}'" + (f" under '{entry['parent']}'" if entry["parent"] else "")
                for entry in self.add]
        said += [f"~ change '{row['name']}'" + ": " + ", ".join(_differences(row, entry)) for row, entry in self.change]
        said += [f"= keep '{row['name']}' (not in the file; nothing is deleted)" for row in self.untouched]
        return said or ["Nothing to change."]


def _differences(row, entry):
    now = entry_of(row)
    said = [f"renamed to '{entry['name']}'"] if entry["name"] != now["name"] else []
    said += [what for key, what in FIELDS.items() if entry[key] is not None and entry[key] != now[key]]
    moved = fold(entry["parent"] or "") != fold(now["parent"] or "")
    return said + ([f"moved under '{entry['parent']}'" if entry["parent"] else "moved to the top level"] if moved else [])


def plan(codebook, entries):
    """Compare a file's entries with the codebook (rows from a coding store)."""
    current, listed = {fold(row["name"]): row for row in codebook}, {fold(entry["name"]) for entry in entries}
    add = [entry for entry in entries if fold(entry["name"]) not in current]
    change = [(current[fold(e["name"])], e) for e in entries
              if fold(e["name"]) in current and _differences(current[fold(e["name"])], e)]
    return Plan(add, change, [row for key, row in current.items() if key not in listed])


def apply(store, steps, actor):
    """Carry out a plan through the coding store (each step audited as by hand)."""
    for entry in steps.add:
        store.create_code(entry["name"], entry["description"], actor)
    for row, entry in steps.change:
        store.edit_code(row, entry["name"], entry["description"], actor)
    for entry in [*steps.add, *(entry for _, entry in steps.change)]:
        if entry["definition"] is not None:  # a REFI-QDA codebook says nothing of definitions
            store.define_code(store.code_named(entry["name"]), entry["definition"], entry["exclusion"], None, actor)
    _move(store, [*steps.add, *(entry for _, entry in steps.change)], actor)


def _move(store, entries, actor):
    """Give each entry its parent: first to the top level whatever would end up under itself on the way."""
    wanted = {entry["name"]: entry["parent"] for entry in entries}
    for _ in range(2):
        parents, names = store.code_tree()
        by_name = {fold(name): code_id for code_id, name in names.items()}
        for name, parent in wanted.items():
            code_id, parent_id = by_name[fold(name)], parent and by_name[fold(parent)]
            if parents[code_id] == parent_id:
                continue
            target = None if parent_id in tree.family(parents, code_id) else parent_id
            store.move_code(store.code_by_id(code_id), target and store.code_by_id(target), actor)
            parents[code_id] = target
