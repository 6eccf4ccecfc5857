"""Issue 38 #5: codes sit at most ten levels deep, refused at create, move, merge and import (YAML and QDC)
with a message naming the limit, so no tree makes every page slow or an export fail."""
import pytest

from collector.coding.tree import LEVELS_MAX

CHAIN = [f"Level {n}" for n in range(1, LEVELS_MAX + 1)]


def build_chain(coding, names=CHAIN, under=None):
    """Codes each under the one before (the first under `under`)."""
    for name in names:
        coding.post("/analyst/api/codes", {"name": name, "parent": under}, status=201)
        under = name


def tree_of(coding):
    return {c["name"]: c["parent"] for c in coding.get("/analyst/api/codes")["codes"]}


def refused(response):
    """The message of a 400 that names the depth limit."""
    assert response.status_code == 400, response.get_data(as_text=True)
    assert f"at most {LEVELS_MAX} levels deep" in response.json["error"]
    return response.json["error"]


def codebook_command(coding, tmp_path, text, *args):
    """`flask codebook import` of a file holding text; (exit code, output)."""
    path = tmp_path / "codebook.file"
    path.write_text(text, encoding="utf-8")
    result = coding.app.test_cli_runner().invoke(args=["codebook", "import", *args, str(path)])
    return result.exit_code, result.output


def test_a_code_below_the_tenth_level_is_refused_when_made(coding):
    build_chain(coding)
    before = tree_of(coding)
    assert "Level 10" in refused(coding.client.post("/analyst/api/codes", json={"name": "Deeper", "parent": "Level 10"}))
    page = coding.client.post("/analyst/codes", data={"name": "Deeper", "parent": "Level 10"})
    assert page.status_code == 400 and f"at most {LEVELS_MAX} levels deep" in page.get_data(as_text=True)
    assert tree_of(coding) == before


def test_a_move_or_a_merge_that_would_go_too_deep_is_refused_and_changes_nothing(coding):
    build_chain(coding)
    build_chain(coding, ["Branch", "Twig"])
    before = tree_of(coding)
    refused(coding.client.patch("/analyst/api/codes/Branch", json={"parent": "Level 9"}))
    # Twig would be 11
    refused(coding.client.post("/analyst/api/codes/Branch/merge", json={"into": "Level 10"}))
    assert tree_of(coding) == before
    assert coding.client.patch("/analyst/api/codes/Branch", json={"parent": "Level 8"}).status_code == 200
    assert tree_of(coding)["Twig"] == "Branch" and tree_of(coding)["Branch"] == "Level 8"


def nested_qdc(depth):
    """A REFI-QDA codebook whose codes nest `depth` deep."""
    opening = "".join(f'<Code guid="{n:08d}-0000-4000-8000-000000000000" name="Q{n}" isCodable="true">'
                      for n in range(depth))
    return ('<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            f'{opening}{"</Code>" * depth}</Codes></CodeBook>')


def yaml_chain(depth):
    lines = ["codes:"] + [f"- name: Y{n}" + (f"\n  parent: Y{n - 1}" if n else "") for n in range(depth)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text", [yaml_chain(LEVELS_MAX + 1), nested_qdc(LEVELS_MAX + 1), nested_qdc(1200)],
                         ids=["yaml 11 deep", "qdc 11 deep", "qdc 1200 deep"])
def test_an_import_deeper_than_the_limit_is_refused_whole(coding, tmp_path, text):
    before = tree_of(coding)
    for args in ((), ("--apply",)):
        code, output = codebook_command(coding, tmp_path, text, *args)
        assert code != 0 and f"at most {LEVELS_MAX} levels deep" in output and "Traceback" not in output
    assert tree_of(coding) == before


def test_an_import_that_pushes_a_code_it_leaves_out_too_deep_is_refused(coding, tmp_path):
    build_chain(coding, ["Kept", "Left out"])  # the file names Kept, not the code under it
    text = yaml_chain(LEVELS_MAX - 1) + f"- name: Kept\n  parent: Y{LEVELS_MAX - 2}\n"  # Kept: level 10
    code, output = codebook_command(coding, tmp_path, text)
    assert code != 0 and f"'Left out' would sit {LEVELS_MAX + 1} levels deep" in output


def test_an_import_turning_a_ten_level_chain_upside_down_applies(coding, tmp_path):
    build_chain(coding)
    upside = ["codes:"] + [f"- name: {name}" + (f"\n  parent: {CHAIN[n + 1]}" if n + 1 < LEVELS_MAX else "")
                           for n, name in enumerate(CHAIN)]
    code, output = codebook_command(coding, tmp_path, "\n".join(upside) + "\n", "--apply")
    assert code == 0, output
    assert tree_of(coding) == {name: CHAIN[n + 1] if n + 1 < LEVELS_MAX else None for n, name in enumerate(CHAIN)}
