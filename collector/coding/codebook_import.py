"""Importing a codebook file: a dry-run diff first, then applied through the coding store.

Codes match by name (any case, any Unicode normal form). An import adds the codes the codebook
lacks; where the file differs it changes a name's spelling, a description, a definition, an
exclusion rule or a code's parent. It never deletes a code (one the file leaves out is only
listed), and a second import of the same file changes nothing.
"""
import codecs
from dataclasses import dataclass

from collector.coding import codebook_file, codebook_qdc, tree
from collector.coding.codebook_file import entry_of
from collector.common.error_pages import UserError
from collector.search.query import fold

FIELDS = {"description": "new description", "definition": "new definition", "exclusion": "new exclusion rule"}


# Byte order marks, UTF-32's before UTF-16's (FF FE begins both little-endian ones), then XML's own
# signs of UTF-16 without a mark ('<' as two bytes, the declaration naming the encoding).
MARKS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (b"\x00<", "utf-16-be"),
         (b"<\x00", "utf-16-le")]


def parse(raw):
    """The entries of a codebook file's bytes: REFI-QDA QDC when it is XML (the XML parser reads its own
    encoding, BOM and declaration), else YAML in UTF-8, or in any Unicode encoding its BOM names."""
    text = decoded(raw)
    return codebook_qdc.parse_qdc(raw) if text.lstrip().startswith("<") else codebook_file.parse_yaml(text)


def decoded(raw):
    """The text of a file's bytes, by its byte order mark (UTF-8 without one); UserError when it does not read."""
    codec = next((codec for mark, codec in MARKS if raw.startswith(mark)), "utf-8")
    try:
        return raw.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise UserError(f"The codebook file is not {codec.upper().replace('-SIG', '')} text (byte {exc.start}): "
                        "save it as UTF-8.") from None


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
    current = {fold(row["name"]): row for row in codebook}
    listed = {fold(entry["name"]) for entry in entries}
    _check_levels(codebook, entries)
    add = [entry for entry in entries if fold(entry["name"]) not in current]
    change = [(current[fold(e["name"])], e) for e in entries
              if fold(e["name"]) in current and _differences(current[fold(e["name"])], e)]
    return Plan(add, change, [row for key, row in current.items() if key not in listed])


def _check_levels(codebook, entries):
    """UserError when the file would put a code of the codebook deeper than tree.LEVELS_MAX (the codes it
    leaves out stay under their parents, which it may move)."""
    parents = {fold(row["name"]): row["parent_name"] and fold(row["parent_name"]) for row in codebook}
    parents.update({fold(entry["name"]): entry["parent"] and fold(entry["parent"]) for entry in entries})
    names = {fold(row["name"]): row["name"] for row in codebook} | {fold(e["name"]): e["name"] for e in entries}
    for key, at in tree.levels(parents).items():
        if at > tree.LEVELS_MAX:
            raise UserError(f"With this file '{names[key]}' would sit {at} levels deep; codes sit at most "
                            f"{tree.LEVELS_MAX} levels deep.")


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
    """Give each entry its parent, the shallowest first; what would end up under itself, or too deep, on the
    way goes to the top level first (the file's tree was checked whole: a second pass places it)."""
    wanted = {entry["name"]: entry["parent"] for entry in entries}
    order = tree.levels({fold(name): parent and fold(parent) for name, parent in wanted.items()})
    for _ in range(2):
        parents, names = store.code_tree()
        by_name = {fold(name): code_id for code_id, name in names.items()}
        for name, parent in sorted(wanted.items(), key=lambda item: order.get(fold(item[0]), 0)):
            code_id = by_name[fold(name)]
            parent_id = parent and by_name[fold(parent)]
            if parents[code_id] == parent_id:
                continue
            target = parent_id if _fits(parents, names, code_id, parent_id) else None
            if parents[code_id] != target:
                store.move_code(store.code_by_id(code_id), target and store.code_by_id(target), actor)
                parents[code_id] = target


def _fits(parents, names, code_id, parent_id):
    """Whether the code can go under parent_id as the tree is now."""
    try:
        tree.check_parent(parents, names, code_id, parent_id)
    except UserError:
        return False
    return True
