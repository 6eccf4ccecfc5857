"""A REFI-QDA project (QDPX) of the matching answers, for NVivo, ATLAS.ti, MAXQDA or QualCoder.

`project.qde` (namespace urn:QDA-XML:project:1.0) holds the coders as Users, the codebook, each
answer as a TextSource whose text is `sources/<guid>.txt` in the zip, each whole-answer coding as
a PlainTextSelection over it (its coder the creating User), and each answer as a Case with the
answer's choice, rating and hidden fields as variables. GUIDs derive from our ids, so exporting
twice gives the same GUIDs and a tool can match what it imported before.
"""
import itertools
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import timezone

from collector.coding.codebook_qdc import SPACE, code_elements, code_guid, xml_text

NS = "urn:QDA-XML:project:1.0"


def guid(*parts):
    """A stable GUID for one of our things (a user, an answer, a coding; codes: codebook_qdc.code_guid)."""
    return str(uuid.uuid5(SPACE, "\x1f".join(map(str, parts))))


def _stamp(when):
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Project:
    """The project being written: users, codes, variables, and a zip to hold the sources."""

    def __init__(self, layout, archive):
        self.root = ET.Element("Project", {"xmlns": NS, "name": "Survey answers", "origin": "survey-collector"})
        self.users = {}
        self.archive = archive
        self.layout = layout
        self.users_node = ET.SubElement(self.root, "Users")
        code_elements(ET.SubElement(ET.SubElement(self.root, "CodeBook"), "Codes"), layout.codebook)  # nested
        self.variables = {name: guid("variable", name) for name in layout.variables}
        variables = ET.SubElement(self.root, "Variables")
        for name, kind in layout.variables.items():
            label = xml_text(layout.labels.get(name, name))
            ET.SubElement(variables, "Variable", {"guid": self.variables[name], "name": label, "typeOfVariable": kind})
        self.cases = ET.SubElement(self.root, "Cases")
        self.sources = ET.SubElement(self.root, "Sources")

    def user(self, name):
        """The GUID of a coder, added as a User the first time."""
        if name not in self.users:
            self.users[name] = guid("user", name)
            ET.SubElement(self.users_node, "User", {"guid": self.users[name], "name": xml_text(name)})
        return self.users[name]

    def add(self, doc, codings):
        """One answer: its text file, its TextSource with a selection per coding, and its Case."""
        source = guid("answer", doc.meta.id)
        text = xml_text(doc.essay or "")
        self.archive.writestr(f"sources/{source}.txt", text)
        node = ET.SubElement(self.sources, "TextSource", {"guid": source, "name": doc.receipt,
                                                          "plainTextPath": f"internal://{source}.txt",
                                                          "creationDateTime": _stamp(doc.submitted_at)})
        for coding in codings:
            user = self.user(coding["by"])
            at = str(coding["at"]).replace("+00:00", "Z")
            selection = ET.SubElement(node, "PlainTextSelection", {
                "guid": guid("selection", doc.meta.id, coding["name"]), "name": xml_text(coding["name"]),
                "startPosition": "0", "endPosition": str(len(text)), "creatingUser": user, "creationDateTime": at})
            applied = ET.SubElement(selection, "Coding", {"guid": guid("coding", doc.meta.id, coding["name"]),
                                                          "creatingUser": user, "creationDateTime": at})
            ET.SubElement(applied, "CodeRef", {"targetGUID": code_guid(coding["name"])})
        self._case(doc, source)

    def _case(self, doc, source):
        case = ET.SubElement(self.cases, "Case", {"guid": guid("case", doc.meta.id), "name": doc.receipt})
        answers = doc.answers.to_dict() if doc.answers else {}
        for name, kind in self.layout.variables.items():
            if answers.get(name) not in (None, "", []):
                value = ET.SubElement(case, "VariableValue")
                ET.SubElement(value, "VariableRef", {"targetGUID": self.variables[name]})
                shown = answers[name]
                ET.SubElement(value, "IntegerValue" if kind == "Integer" else "TextValue").text = xml_text(
                    "; ".join(map(str, shown)) if isinstance(shown, list) else shown)
        ET.SubElement(case, "SourceRef", {"targetGUID": source})


def write_qdpx(docs, layout, path, codings_for, batch=500):
    """The QDPX zip of these answers (their codings read `batch` answers at a time); how many."""
    count, docs = 0, iter(docs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        project = Project(layout, archive)
        while chunk := list(itertools.islice(docs, batch)):
            found = codings_for([doc.meta.id for doc in chunk])
            for doc in chunk:
                project.add(doc, found.get(doc.meta.id, []))
            count += len(chunk)
        if not project.users:
            project.user("survey-collector")
        # the schema wants none rather than empty
        for empty in [node for node in project.root if len(node) == 0]:
            project.root.remove(empty)
        archive.writestr("project.qde", ET.tostring(project.root, encoding="utf-8", xml_declaration=True))
    return count
