"""Issue 38 #10: a codebook file reads in the encodings other tools save (a UTF-8 BOM, UTF-16), and one that
cannot be read is refused with a sentence, never a traceback."""
import codecs

import pytest

from collector import create_app
from tests.helpers import log_in

QDC = ('<?xml version="1.0" encoding="{encoding}"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo">'
       '<Codes><Code guid="6d2a8f3e-1b4c-4e5f-9a7b-0c1d2e3f4a5b" name="Café culture" isCodable="true">'
       '<Code guid="7e3b9f4f-2c5d-4f6a-8b8c-1d2e3f4a5b6c" name="Größe" isCodable="true"/></Code></Codes></CodeBook>')
YAML = "codes:\n- name: Café culture\n- name: Größe\n  parent: Café culture\n"


@pytest.fixture
def app(engine_config):
    return create_app(engine_config)


def imported(app, tmp_path, data):
    """`flask codebook import --apply` of a file holding these bytes: (exit code, output, the codebook's tree)."""
    path = tmp_path / "codebook.file"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["codebook", "import", "--apply", str(path)])
    analyst = app.test_client()
    log_in(analyst)
    tree = {c["name"]: c["parent"] for c in analyst.get("/analyst/api/codes").json["codes"]}
    return result.exit_code, result.output, tree


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + QDC.format(encoding="utf-8").encode(),
    QDC.format(encoding="UTF-16").encode("utf-16"),  # Python writes a BOM first, as Windows tools do
    QDC.format(encoding="UTF-16").encode("utf-16-be"),  # no BOM: the declaration says it
    codecs.BOM_UTF8 + YAML.encode(),
    YAML.encode("utf-16"),
], ids=["qdc utf-8 bom", "qdc utf-16", "qdc utf-16 big-endian without bom", "yaml utf-8 bom", "yaml utf-16"])
def test_a_codebook_saved_with_a_bom_or_in_utf_16_imports(app, tmp_path, data):
    code, output, tree = imported(app, tmp_path, data)
    assert code == 0, output
    assert tree == {"Café culture": None, "Größe": "Café culture"}


@pytest.mark.parametrize("data, message", [
    (YAML.encode("latin-1"), "not UTF-8 text"),
    ("codes:\n" + "- " * 3000 + "x\n", "more than 50 levels deep"),
    ('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>', "not valid XML"),
], ids=["latin-1", "yaml 3000 deep", "cut-off xml"])
def test_a_codebook_that_does_not_read_is_refused_with_a_sentence(app, tmp_path, data, message):
    code, output, tree = imported(app, tmp_path, data if isinstance(data, bytes) else data.encode())
    assert code == 1 and message in output and "Traceback" not in output
    assert tree == {}
