"""The codebook as a file: YAML, reviewable in git like the surveys, or a REFI-QDA codebook (QDC)
for other qualitative tools. Export it, and import it back as a dry-run diff first, then applied.

Codes match by name (any case, any Unicode normal form). An import adds the codes the codebook
lacks, and changes a description, or a name's spelling, where the file differs; it never deletes
a code (one the file leaves out is only listed). A second import of the same file changes nothing.
"""
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import yaml

from collector.coding import DESCRIPTION_MAX, checked_name
from collector.search.model import fold
from collector.surveys import strict_yaml
from collector.web.error_pages import UserError

QDC = "urn:QDA-XML:codebook:1.0"
SPACE = uuid.UUID("9a3c1f0e-5b7d-4e2a-8f61-2d4b7c9e0a13")  # the QDPX export's too: one GUID per code name
HEADER = "# The codebook, as `flask codebook import` reads it back (codes match by name; none is ever deleted).\n"
CODE_KEYS = {"name", "description"}


def dump(codebook):
    """The codebook's YAML text, codes in name order."""
    codes = [{"name": code["name"], **({"description": code["description"]} if code["description"] else {})}
             for code in sorted(codebook, key=lambda code: fold(code["name"]))]
    return HEADER + yaml.safe_dump({"codes": codes}, allow_unicode=True, sort_keys=False, width=100)


def code_guid(name):
    """A code's GUID in REFI-QDA files: stable, so another tool matches it on a second import."""
    return str(uuid.uuid5(SPACE, f"code\x1f{name}"))


def dump_qdc(codebook):
    """The codebook as a REFI-QDA codebook (QDC) XML text."""
    if not codebook:
        raise UserError("The codebook is empty, and a REFI-QDA codebook needs at least one code.")
    root = ET.Element("CodeBook", {"xmlns": QDC, "origin": "survey-collector"})
    codes = ET.SubElement(root, "Codes")
    for code in sorted(codebook, key=lambda code: fold(code["name"])):
        node = ET.SubElement(codes, "Code", {"guid": code_guid(code["name"]), "name": code["name"], "isCodable": "true"})
        if code["description"]:
            ET.SubElement(node, "Description").text = code["description"]
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def parse_qdc(text):
    """[(name, description)] of every code of a REFI-QDA codebook, nested ones too (nesting is not kept)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UserError(f"The codebook file is not valid XML: {exc}") from None
    if root.tag != f"{{{QDC}}}CodeBook":
        raise UserError(f"A REFI-QDA codebook has a CodeBook element in the {QDC} namespace.")
    entries = [{"name": node.get("name"), **({"description": node.findtext(f"{{{QDC}}}Description")}
                                             if node.find(f"{{{QDC}}}Description") is not None else {})}
               for node in root.iter(f"{{{QDC}}}Code")]
    return checked_codes(entries)


def parse(text):
    """[(name, description)] of a codebook file (YAML, or QDC XML), or UserError saying what to fix and where."""
    if text.lstrip().startswith("<"):
        return parse_qdc(text)
    try:
        data = strict_yaml.load(text)
    except yaml.YAMLError as exc:
        raise UserError(f"The codebook file is not valid YAML: {exc}") from None
    entries = data.get("codes") if isinstance(data, dict) and set(data) == {"codes"} else None
    if not isinstance(entries, list):
        raise UserError("A codebook file is a mapping with one key, 'codes:', holding a list of codes.")
    return checked_codes(entries)


def checked_codes(entries):
    """[(name, description)] of {name, description} entries, each checked as a code made by hand would be."""
    codes, seen = [], {}
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not set(entry) <= CODE_KEYS or "name" not in entry:
            raise UserError(f"Code #{n}: give 'name' and, if you like, 'description' (nothing else).")
        name = checked_name(entry["name"])
        if fold(name) in seen:
            raise UserError(f"Code #{n}: '{name}' is code #{seen[fold(name)]} already.")
        seen[fold(name)] = n
        codes.append((name, str(entry.get("description") or "").strip()[:DESCRIPTION_MAX]))
    return codes


@dataclass
class Plan:
    """What an import would do: codes to add, codes to change (code, name, description), codes left alone."""

    add: list
    change: list
    untouched: list

    def lines(self):
        """The dry run as a person reads it."""
        said = [f"+ add '{name}'" for name, _ in self.add]
        said += [f"~ change '{code['name']}'" + (f" to '{name}'" if name != code["name"] else "")
                 + (": new description" if description != (code["description"] or "") else "")
                 for code, name, description in self.change]
        said += [f"= keep '{code['name']}' (not in the file; nothing is deleted)" for code in self.untouched]
        return said or ["Nothing to change."]


def plan(codebook, codes):
    """Compare a file's codes with the codebook."""
    current, listed = {fold(code["name"]): code for code in codebook}, {fold(name) for name, _ in codes}
    add = [(name, description) for name, description in codes if fold(name) not in current]
    change = [(current[fold(name)], name, description) for name, description in codes if fold(name) in current
              and (current[fold(name)]["name"], current[fold(name)]["description"] or "") != (name, description)]
    return Plan(add, change, [code for key, code in current.items() if key not in listed])


def apply(store, steps, actor):
    """Carry out a plan through the coding store (each step audited as by hand)."""
    for name, description in steps.add:
        store.create_code(name, description, actor)
    for code, name, description in steps.change:
        store.edit_code(code, name, description, actor)
