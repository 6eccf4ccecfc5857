"""Issue 26 #4: a REFI-QDA project (QDPX) of the matching answers, valid against the published
project schema and read back: its codes, coders, whole-answer codings and cases match ours."""
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def test_a_qdpx_project_validates_against_the_schema_and_holds_our_codings(coded, download):
    client, ids = coded
    with zipfile.ZipFile(download(client, "qdpx")) as archive:
        project = archive.read("project.qde")
        xmlschema.XMLSchema(str(SCHEMA)).validate(project.decode("utf-8"))
        root = ElementTree.fromstring(project)
        sources = root.findall("q:Sources/q:TextSource", NS)
        texts = {archive.read(f"sources/{s.get('guid')}.txt").decode("utf-8") for s in sources}
    assert texts == set(ids)  # each answer a text source, its text a file in the zip
    codes = {c.get("guid"): c.get("name") for c in root.findall("q:CodeBook/q:Codes/q:Code", NS)}
    assert set(codes.values()) == {"Night shift", "Kit (laptops)"}
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    selections = root.findall("q:Sources/q:TextSource/q:PlainTextSelection", NS)
    codings = [(codes[s.find("q:Coding/q:CodeRef", NS).get("targetGUID")], users[s.get("creatingUser")])
               for s in selections]
    assert codings == [("Night shift", "ada"), ("Night shift", "ada")]  # as many as ours, by their coder
    whole = [(int(s.get("startPosition")), int(s.get("endPosition"))) for s in selections]
    assert all(start == 0 and end == len("night shift one") for start, end in whole)
    cases = root.findall("q:Cases/q:Case", NS)
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    first = {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text
             for v in cases[0].findall("q:VariableValue", NS)}
    assert len(cases) == 4 and first["How satisfied are you?"] == "4" and first["Your role"] == "Engineer"
