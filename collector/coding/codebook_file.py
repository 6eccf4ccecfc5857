"""The codebook as a file: YAML, reviewable in git like the surveys (or a REFI-QDA codebook, QDC:
codebook_qdc.py). Each code has a name, and may have a description, a parent (a code of the same
file), a definition (when to use it) and an exclusion rule (when not to). Export it, and import it
back as a dry-run diff first, then applied (codebook_import.py).
"""
import yaml

from collector.coding import tree
from collector.coding.hierarchy import checked_details
from collector.coding.names import DESCRIPTION_MAX, checked_name
from collector.common.error_pages import UserError
from collector.search.query import fold
from collector.surveys import strict_yaml

HEADER = "# The codebook, as `flask codebook import` reads it back (codes match by name; none is ever deleted).\n"
CODE_KEYS = ("name", "description", "parent", "definition", "exclusion")


def entry_of(row):
    """A codebook row as a file's entry: {name, description, parent (a name or None), definition, exclusion}."""
    return {"name": row["name"], "description": row["description"] or "", "parent": row["parent_name"],
            "definition": row["definition"] or "", "exclusion": row["exclusion"] or ""}


def dump(codebook):
    """The codebook's YAML text, codes in tree order (a parent before the codes under it), empty keys left out."""
    codes = [{key: value for key, value in entry_of(row).items() if value} for row in codebook]
    return HEADER + yaml.safe_dump({"codes": codes}, allow_unicode=True, sort_keys=False, width=100)


def parse_yaml(text):
    """The entries of a YAML codebook file, or UserError saying what to fix and where."""
    try:
        data = strict_yaml.load(text)
    except yaml.YAMLError as exc:
        raise UserError(f"The codebook file is not valid YAML: {exc}") from None
    entries = data.get("codes") if isinstance(data, dict) and set(data) == {"codes"} else None
    if not isinstance(entries, list):
        raise UserError("A codebook file is a mapping with one key, 'codes:', holding a list of codes.")
    return checked_codes(entries)


def checked_codes(entries):
    """Entries checked as codes made by hand would be; parents name codes of the file, and make no cycle."""
    codes = []
    seen = {}
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not set(entry) <= set(CODE_KEYS) or "name" not in entry:
            raise UserError(f"Code #{n}: give 'name' and, if you like, {', '.join(CODE_KEYS[1:])} (nothing else).")
        name = checked_name(entry["name"])
        if fold(name) in seen:
            raise UserError(f"Code #{n}: '{name}' is code #{seen[fold(name)]} already.")
        seen[fold(name)] = n
        try:
            definition, exclusion, _ = checked_details(entry.get("definition"), entry.get("exclusion"))
        except UserError as exc:
            raise UserError(f"Code #{n}: {exc}") from None
        codes.append({"name": name, "description": str(entry.get("description") or "").strip()[:DESCRIPTION_MAX],
                      "parent": entry.get("parent") or None, "definition": definition, "exclusion": exclusion})
    return _with_parents(codes, seen)


def _with_parents(codes, seen):
    """Parents spelt as their codes are; UserError for one not in the file, a cycle, or a tree too deep."""
    by_fold = {fold(code["name"]): code["name"] for code in codes}
    for code in codes:
        if code["parent"] is not None and fold(str(code["parent"])) not in by_fold:
            raise UserError(f"Code #{seen[fold(code['name'])]}: its parent '{code['parent']}' is not a code of the file.")
        code["parent"] = code["parent"] and by_fold[fold(str(code["parent"]))]
    at = tree.levels({code["name"]: code["parent"] for code in codes})
    for code in codes:
        if code["name"] not in at:  # no way down from the top reaches it
            raise UserError(f"Code #{seen[fold(code['name'])]}: '{code['name']}' sits under itself (a cycle).")
        if at[code["name"]] > tree.LEVELS_MAX:
            raise UserError(f"Code #{seen[fold(code['name'])]}: '{code['name']}' sits {at[code['name']]} levels deep; "
                            f"codes sit at most {tree.LEVELS_MAX} levels deep.")
    return codes
