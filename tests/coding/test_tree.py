"""Issue 26 #1: a code hierarchy. Counts, filters and the code x group table roll up the tree, the
same in both engines and both coding stores; moves are audited, undoable and never make a cycle."""
import pytest


@pytest.fixture
def tree(coding):
    """Work > Shifts > Night, and Tools at the top. Night: night[0:3]; Shifts: night[2:5] (night[2] has both);
    Work: other[0] (a manager). Tools: other[1]."""
    for name, parent in (("Work", None), ("Shifts", "Work"), ("Night", "Shifts"), ("Tools", None)):
        coding.post("/analyst/api/codes", {"name": name, "parent": parent}, status=201)
    given = {"Night": coding.night[0:3], "Shifts": coding.night[2:5], "Work": coding.other[0:1],
             "Tools": coding.other[1:2]}
    for name, answers in given.items():
        for answer in answers:
            coding.post(f"/analyst/api/responses/{answer}/codes", {"add": [name]})
    coding.settle()
    return coding


def codebook(coding):
    return {c["name"]: (c["parent"], c["answers"], c["answers_total"]) for c in coding.get("/analyst/api/codes")["codes"]}


def test_counts_roll_up_a_three_level_tree_each_answer_once(tree):
    assert codebook(tree) == {"Work": (None, 1, 6), "Shifts": ("Work", 3, 5), "Night": ("Shifts", 3, 3),
                              "Tools": (None, 1, 1)}
    assert [c["name"] for c in tree.get("/analyst/api/codes")["codes"]] == ["Tools", "Work", "Shifts", "Night"]
    counts = {c["name"]: c["count"] for c in tree.get("/analyst/api/codes/counts")["codes"]}
    assert counts == {"Work": 6, "Shifts": 5, "Night": 3, "Tools": 1}
    narrowed = {c["name"]: c["count"] for c in tree.get("/analyst/api/codes/counts", q="rota")["codes"]}
    assert narrowed == {"Work": 1, "Night": 1, "Shifts": 1}  # only night[0] mentions the rota


def test_a_code_filter_means_the_code_and_every_code_under_it(tree):
    assert set(tree.ids(code="Work")) == set(tree.night + tree.other[0:1])
    assert set(tree.ids(code="Shifts")) == set(tree.night)
    assert set(tree.ids(code="Night")) == set(tree.night[0:3])
    assert set(tree.ids(code="-Shifts")) == set(tree.other)
    assert "or any code under it" in tree.client.get("/analyst/codes").get_data(as_text=True)


def test_the_code_by_group_table_rolls_up_too(tree):
    table = tree.get("/analyst/api/crosstab", group="role")
    cells = {row["value"]: {name: c["count"] for name, c in row["codes"].items() if c["count"]} for row in table["rows"]}
    assert cells["Engineer"] == {"Work": 5, "Shifts": 5, "Night": 3}
    assert cells["Manager"] == {"Work": 1} and cells["Designer"] == {"Tools": 1}


def test_a_move_that_would_make_a_cycle_is_refused_and_changes_nothing(tree):
    before = codebook(tree)
    for parent in ("Night", "Shifts", "Work"):
        refused = tree.client.patch("/analyst/api/codes/Work", json={"parent": parent, "name": "Renamed"})
        assert refused.status_code == 400 and "under" in refused.json["error"]
    assert tree.client.post("/analyst/api/codes", json={"name": "Orphan", "parent": "Nothing"}).status_code == 404
    assert codebook(tree) == before


def test_a_move_is_audited_and_the_codebook_page_moves_it_back(tree):
    page = tree.client.get("/analyst/codes").get_data(as_text=True)
    night_id = page.split('id="parent-')[4].split('"')[0]  # Tools, Work, Shifts, Night: the fourth
    moved = tree.client.post(f"/analyst/codes/{night_id}/move", data={"parent": "Tools"})
    assert codebook(tree)["Night"][0] == "Tools" and codebook(tree)["Work"][2] == 4
    page = tree.client.get(moved.location).get_data(as_text=True)
    assert "now sits under &#39;Tools&#39;" in page
    form = page.split('id="undo-move" action="')[1]
    assert 'name="parent" value="Shifts"' in form.split("</form>")[0]
    back = tree.client.post(form.split('"')[0], data={"parent": "Shifts", "undo": "1"})
    assert back.status_code == 303 and codebook(tree)["Night"][0] == "Shifts"
    actions = [e["action"] for e in tree.get("/analyst/api/audit")["entries"]][:2]
    assert actions == ["code.move", "code.move"]


def test_the_codebook_page_adds_a_code_under_another(tree):
    assert tree.client.post("/analyst/codes", data={"name": "Handover", "parent": "Night"}).status_code == 303
    assert codebook(tree)["Handover"] == ("Night", 0, 0)


def test_deleting_a_code_moves_the_codes_under_it_up_one_level(tree):
    tree.client.delete("/analyst/api/codes/Shifts")
    assert codebook(tree)["Night"] == ("Work", 3, 3) and codebook(tree)["Work"][2] == 4


def test_merging_takes_the_codes_under_it_along_and_undo_puts_them_back(tree):
    assert tree.client.post("/analyst/api/codes/Work/merge", json={"into": "Night"}).status_code == 400
    done = tree.post("/analyst/api/codes/Shifts/merge", {"into": "Tools"})
    assert codebook(tree)["Night"][0] == "Tools" and "Shifts" not in codebook(tree)
    tree.post(f"/analyst/api/batches/{done['batch']}/undo")
    tree.settle()
    assert codebook(tree) == {"Work": (None, 1, 6), "Shifts": ("Work", 3, 5), "Night": ("Shifts", 3, 3),
                              "Tools": (None, 1, 1)}
