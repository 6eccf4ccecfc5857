"""The codebook as a REFI-QDA codebook (QDC, urn:QDA-XML:codebook:1.0), for NVivo, ATLAS.ti, MAXQDA
or QualCoder: each code a `Code` with a stable GUID and its description, the codes under it nested
inside it. Definitions and exclusion rules have no place in the format and stay in the YAML file."""
import re
import uuid
import xml.etree.ElementTree as ET

from collector.coding.codebook_file import checked_codes
from collector.common.error_pages import UserError

QDC = "urn:QDA-XML:codebook:1.0"
SPACE = uuid.UUID("9a3c1f0e-5b7d-4e2a-8f61-2d4b7c9e0a13")  # the QDPX export's too: one GUID per code name
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def xml_text(value):
    """Text as XML 1.0 can hold it."""
    return NOT_XML.sub("", str(value))


def code_guid(name):
    """A code's GUID in REFI-QDA files: stable, so another tool matches it on a second import."""
    return str(uuid.uuid5(SPACE, f"code\x1f{name}"))


def code_elements(parent, codebook):
    """Add the codebook's codes (rows in tree order, with depth) to an XML element, nested as in the tree."""
    open_at = [parent]  # open_at[d]: the element the codes at depth d go in
    for row in codebook:
        del open_at[row["depth"] + 1:]
        node = ET.SubElement(open_at[-1], "Code", {"guid": code_guid(row["name"]), "name": xml_text(row["name"]),
                                                   "isCodable": "true"})
        if row["description"]:
            ET.SubElement(node, "Description").text = xml_text(row["description"])
        open_at.append(node)


def dump_qdc(codebook):
    """The codebook as a REFI-QDA codebook (QDC) XML text."""
    if not codebook:
        raise UserError("The codebook is empty, and a REFI-QDA codebook needs at least one code.")
    root = ET.Element("CodeBook", {"xmlns": QDC, "origin": "survey-collector"})
    code_elements(ET.SubElement(root, "Codes"), codebook)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def parse_qdc(raw):
    """The entries of a REFI-QDA codebook (its bytes, or text), each nested code under the code it sits in
    (definitions: None, unsaid)."""
    try:
        root = ET.fromstring(raw)
    except (ET.ParseError, ValueError) as exc:  # ValueError: text that declares a multi-byte encoding
        raise UserError(f"The codebook file is not valid XML: {exc}") from None
    if root.tag != f"{{{QDC}}}CodeBook":
        raise UserError(f"A REFI-QDA codebook has a CodeBook element in the {QDC} namespace.")
    entries = []
    waiting = [(node, None) for node in reversed(root.findall(f"{{{QDC}}}Codes/{{{QDC}}}Code"))]
    while waiting:
        node, parent = waiting.pop()
        description = node.findtext(f"{{{QDC}}}Description")
        entries.append({"name": node.get("name"), **({"description": description} if description is not None else {}),
                        **({"parent": parent} if parent else {})})
        waiting.extend((child, node.get("name")) for child in reversed(node.findall(f"{{{QDC}}}Code")))
    # None: not said
    return [dict(entry, definition=None, exclusion=None) for entry in checked_codes(entries)]
