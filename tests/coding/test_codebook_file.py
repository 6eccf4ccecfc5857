"""Issue 26 #4: the codebook as a YAML file and as a REFI-QDA codebook (QDC): export, a dry-run diff,
apply, and round trips; written once and run against both stores."""
from pathlib import Path

import pytest
import xmlschema

from collector import create_app
from tests.helpers import log_in


@pytest.fixture
def app(engine_config):
    """An app whose codebook holds 'Night shift' (described) and 'Rota'."""
    app = create_app(engine_config)
    client = app.test_client()
    log_in(client)
    for name, description in (("Night shift", "Shifts after 22:00: rotas, fatigue."), ("Rota", "")):
        assert client.post("/analyst/api/codes", json={"name": name, "description": description}).status_code == 201
    app.analyst = client
    return app


def run(app, *args, text=None, tmp_path=None):
    """A codebook command's output (checking it succeeded)."""
    if text is not None:
        (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
        args = (*args, str(tmp_path / "codebook.yaml"))
    result = app.test_cli_runner().invoke(args=["codebook", *args])
    assert result.exit_code == 0, result.output
    return result.output


def names(app):
    return {c["name"]: c["description"] for c in app.analyst.get("/analyst/api/codes").json["codes"]}


def test_an_import_is_a_dry_run_diff_first_then_applied_once_and_never_deletes(app, tmp_path):
    exported = run(app, "export")
    assert "name: Night shift" in exported and "Shifts after 22:00: rotas, fatigue." in exported
    assert run(app, "import", text=exported, tmp_path=tmp_path).strip() == "Nothing to change."
    edited = "codes:\n  - name: night Shift\n    description: Nights.\n  - name: Kit\n"
    said = run(app, "import", text=edited, tmp_path=tmp_path)
    assert "+ add 'Kit'" in said and "~ change 'Night shift': renamed to 'night Shift', new description" in said
    assert "= keep 'Rota' (not in the file; nothing is deleted)" in said and "A dry run" in said
    assert names(app) == {"Night shift": "Shifts after 22:00: rotas, fatigue.", "Rota": ""}  # nothing yet
    assert "Applied: 1 added, 1 changed." in run(app, "import", "--apply", text=edited, tmp_path=tmp_path)
    assert names(app) == {"night Shift": "Nights.", "Kit": "", "Rota": ""}
    again = run(app, "import", "--apply", text=edited, tmp_path=tmp_path)
    assert "+ add" not in again and "~ change" not in again and "Applied" not in again


def test_a_yaml_round_trip_gives_the_same_file(app, tmp_path):
    exported = run(app, "export")
    for name in names(app):
        app.analyst.delete(f"/analyst/api/codes/{name}")
    assert names(app) == {}
    run(app, "import", "--apply", text=exported, tmp_path=tmp_path)
    assert run(app, "export") == exported


@pytest.mark.parametrize("text, message", [
    ("codes:\n  - name: A\n  - name: a\n", "Code #2: 'a' is code #1 already."),
    ("codes:\n  - name: A\n    colour: red\n", "Code #1: give 'name'"),
    ("- name: A\n", "one key, 'codes:'"),
    ("codes:\n  - name: -A\n", "cannot start with '-'"),
    ("codes: [\n", "not valid YAML"),
    ("codes:\n  - name: A\n    parent: B\n", "its parent 'B' is not a code of the file"),
    ("codes:\n  - name: A\n    parent: B\n  - name: B\n    parent: a\n", "sits under itself"),
    ("codes:\n  - name: A\n    definition: [1]\n", "Code #1"),
])
def test_a_codebook_file_with_a_mistake_is_refused_whole_saying_where(app, tmp_path, text, message):
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["codebook", "import", "--apply", str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1 and message in result.output
    assert set(names(app)) == {"Night shift", "Rota"}


SCHEMA = Path(__file__).resolve().parents[1] / "data" / "refi-qda" / "Codebook.xsd"


def test_a_refi_qda_codebook_validates_round_trips_and_imports_another_tools_nesting(app, tmp_path):
    exported = run(app, "export", "--format", "qdc")
    xmlschema.XMLSchema(str(SCHEMA)).validate(exported)
    assert 'name="Night shift"' in exported and "Shifts after 22:00" in exported
    assert run(app, "import", text=exported, tmp_path=tmp_path).strip() == "Nothing to change."
    for name in names(app):
        app.analyst.delete(f"/analyst/api/codes/{name}")
    run(app, "import", "--apply", text=exported, tmp_path=tmp_path)
    assert run(app, "export", "--format", "qdc") == exported  # the same GUIDs, names and descriptions
    theirs = ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA"><Codes>'
              '<Code guid="6d2a8f3e-1b4c-4e5f-9a7b-0c1d2e3f4a5b" name="Work" isCodable="false" color="#ff0000">'
              '<Description>Everything about work</Description>'
              '<Code guid="7e3b9f4f-2c5d-4f6a-8b8c-1d2e3f4a5b6c" name="Night shift" isCodable="true"/></Code>'
              '</Codes></CodeBook>')
    said = run(app, "import", text=theirs, tmp_path=tmp_path)
    assert "+ add 'Work'" in said and "~ change 'Night shift': new description, moved under 'Work'" in said
    run(app, "import", "--apply", text=theirs, tmp_path=tmp_path)
    (night,) = [c for c in app.analyst.get("/analyst/api/codes").json["codes"] if c["name"] == "Night shift"]
    assert night["parent"] == "Work"


TREE = """codes:
- name: Work
  definition: Anything about the job itself.
- name: Shifts
  parent: Work
  exclusion: Not pay for shifts.
- name: Night shift
  description: Shifts after 22:00.
  parent: Shifts
  definition: Work between 22:00 and 06:00.
"""


def test_a_tree_with_definitions_round_trips_in_yaml_and_in_qdc_nesting(app, tmp_path):
    run(app, "import", "--apply", text=TREE, tmp_path=tmp_path)
    exported = run(app, "export")
    # parents first, then by name
    assert exported.endswith("codes:\n- name: Rota\n" + TREE.removeprefix("codes:\n"))
    qdc = run(app, "export", "--format", "qdc")
    xmlschema.XMLSchema(str(SCHEMA)).validate(qdc)
    assert qdc.index('name="Work"') < qdc.index('name="Shifts"') < qdc.index('name="Night shift"')
    assert qdc.count("</Code>") + qdc.count('isCodable="true" />') == 4 and "<Code " in qdc.split('name="Shifts"')[1]
    for name in names(app):
        app.analyst.delete(f"/analyst/api/codes/{name}")
    run(app, "import", "--apply", text=exported, tmp_path=tmp_path)
    assert run(app, "export") == exported
    assert run(app, "import", text=qdc, tmp_path=tmp_path).strip() == "Nothing to change."


def test_an_import_turning_a_tree_upside_down_applies_without_a_cycle(app, tmp_path):
    run(app, "import", "--apply", text=TREE, tmp_path=tmp_path)
    upside = "codes:\n- name: Night shift\n- name: Shifts\n  parent: Night shift\n- name: Work\n  parent: Shifts\n"
    said = run(app, "import", "--apply", text=upside, tmp_path=tmp_path)
    assert "~ change 'Work': new definition, moved under 'Shifts'" in said
    tree = {c["name"]: c["parent"] for c in app.analyst.get("/analyst/api/codes").json["codes"]}
    assert tree == {"Night shift": None, "Shifts": "Night shift", "Work": "Shifts", "Rota": None}



def test_the_codebook_downloads_as_the_files_the_command_writes(app):
    for fmt, args in (("yaml", ()), ("qdc", ("--format", "qdc"))):
        got = app.analyst.get(f"/analyst/codebook.{fmt}")
        assert got.status_code == 200 and got.headers["Content-Disposition"] == f"attachment; filename=codebook.{fmt}"
        assert got.get_data(as_text=True) == run(app, "export", *args)
    assert app.analyst.get("/analyst/codebook.csv").status_code == 404
