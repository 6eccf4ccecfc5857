"""Issue 40 #6 and #11: the codes page's downloads, and the bulk coding picker (the codebook as a tree, a new
code made in place)."""
import re

from tests.helpers import store


def test_the_bulk_coding_picker_shows_the_tree_and_makes_a_new_code_in_place(app, analyst):
    store(app, "night shift again")
    store(app, "a night to forget")
    # no codes yet: fine
    assert "Code these answers" in analyst.get("/analyst/apply?q=night").get_data(as_text=True)
    analyst.post("/analyst/api/codes", json={"name": "Shifts"})
    analyst.post("/analyst/api/codes", json={"name": "Nights", "parent": "Shifts"})
    menu = re.search(r'<select[^>]*name="code".*?</select>', analyst.get("/analyst/apply?q=night").get_data(
        as_text=True), re.S).group(0)
    assert '<option value="Shifts">Shifts</option>' in menu and '<option value="Nights">\u00a0\u00a0\u00a0Nights' in menu
    done = analyst.post("/analyst/apply?q=night", data={"code": "", "new_code": "Sleep", "confirm": "yes"})
    assert done.status_code == 303
    assert analyst.get("/analyst/api/search", query_string={"code": "Sleep"}).json["total"] == 2
    taken = analyst.post("/analyst/apply?q=night", data={"new_code": "shifts", "confirm": "yes"})
    assert taken.status_code == 409 and analyst.get("/analyst/api/search", query_string={"code": "Shifts"}).json[
        "total"] == 0


def test_the_codes_page_offers_the_codebook_and_the_project_downloads_without_a_dangling_separator(analyst):
    empty = analyst.get("/analyst/codes").get_data(as_text=True)
    line = re.search(r'<p class="small" id="codebook-downloads">(.*?)</p>', empty, re.S).group(1)
    assert "reads it back)." in line and "·" not in line and "qdpx" not in line
    analyst.post("/analyst/api/codes", json={"name": "Nights"})
    page = analyst.get("/analyst/codes").get_data(as_text=True)
    line = re.search(r'<p class="small" id="codebook-downloads">(.*?)</p>', page, re.S).group(1)
    assert line.count("·") == 2 and "(.qdc)" in line and 'href="/analyst/export.qdpx"' in line
    assert analyst.get("/analyst/export.qdpx").status_code == 200
