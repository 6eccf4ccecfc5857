"""Issue 26 #5: exports for statistics (XLSX, SPSS .sav, Stata .dta) with one 0/1 variable per
code, read back by the libraries analysts use; written once and run against both engines."""
import html
import re

import openpyxl
import pyreadstat
import pytest

from collector import create_app
from tests.helpers import drain, log_in, new_state, store, write_surveys


def test_xlsx_has_a_0_1_column_per_code_a_codebook_sheet_and_no_formulas(coded, download):
    client, ids = coded
    book = openpyxl.load_workbook(download(client, "xlsx"))
    rows = list(book["answers"].iter_rows(values_only=True))
    header, data = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]
    assert {"code_Night_shift", "code_Kit_laptops", "experience", "satisfaction"} <= set(header)
    by_text = {row["experience"]: row for row in data}
    assert by_text["night shift one"]["code_Night_shift"] == 1 and by_text["Grüße, ein Tag"]["code_Night_shift"] == 0
    assert by_text["night shift one"]["satisfaction"] == 4 and by_text["night shift one"]["is_spam"] == 0
    formulas = [c for row in book["answers"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas == [] and '=HYPERLINK("http://evil")' in by_text  # text, never run
    codebook = list(book["codebook"].iter_rows(values_only=True))
    assert codebook[1:] == [("code_Kit_laptops", "Kit (laptops)", None, 0),
                            ("code_Night_shift", "Night shift", "about nights", 2)]


@pytest.mark.parametrize("fmt, read", [("sav", pyreadstat.read_sav), ("dta", pyreadstat.read_dta)])
def test_spss_and_stata_files_carry_variable_and_value_labels(coded, download, fmt, read):
    client, ids = coded
    frame, meta = read(str(download(client, fmt)))
    labels = meta.column_names_to_labels
    assert labels["code_Night_shift"] == "Code: Night shift" and labels["experience"].startswith("What made your")
    assert meta.variable_value_labels["code_Night_shift"] == {0: "no", 1: "yes"}
    coded_texts = set(frame.loc[frame["code_Night_shift"] == 1, "experience"])
    assert coded_texts == {"night shift one", "night shift two"} and set(frame["code_Kit_laptops"]) == {0}
    assert "Grüße, ein Tag" in set(frame["experience"]) and len(frame) == 4
    audit = client.get("/analyst/api/audit", query_string={"action": f"export.{fmt}"}).json["entries"]
    assert audit[0]["count"] == 4 and audit[0]["status"] == "completed"


def test_the_cli_writes_a_stata_file_and_asks_for_a_path(engine_config, tmp_path):
    app = create_app(engine_config)
    store(app, "one answer", state=new_state(app))
    if app.config["SEARCH_URL"]:
        drain(app)
    runner = app.test_cli_runner()
    assert "needs --output" in runner.invoke(args=["export", "--format", "dta"]).output
    result = runner.invoke(args=["export", "--format", "dta", "--output", str(tmp_path / "a.dta")])
    assert result.exit_code == 0, result.output
    frame, _ = pyreadstat.read_dta(str(tmp_path / "a.dta"))
    assert list(frame["essay"]) == ["one answer"]


def test_a_stata_file_renames_what_stata_refuses_and_keeps_the_question_as_its_label(app_config, tmp_path):
    long_id = "a_question_whose_id_is_longer_than_32"
    surveys = ("surveys:\n  - slug: s\n    title: T\n    email: \"off\"\n    questions:\n"
               f"      - {{id: long, type: text, label: Long}}\n      - {{id: if, type: text, label: If}}\n"
               f"      - {{id: {long_id}, type: essay, label: Longer}}\n")
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, surveys)))
    form = {"long": "tall", "if": "maybe", long_id: "a long answer"}
    assert app.test_client().post("/s/s", data=form).status_code == 303
    client = app.test_client()
    log_in(client)
    response = client.get("/analyst/export.dta")
    assert response.status_code == 200
    (tmp_path / "a.dta").write_bytes(response.get_data())
    frame, meta = pyreadstat.read_dta(str(tmp_path / "a.dta"))
    assert (frame["long_"][0], frame["if_"][0], frame[long_id[:32]][0]) == ("tall", "maybe", "a long answer")
    assert meta.column_names_to_labels["long_"] == "Long"


def test_the_dashboard_offers_every_export_for_the_search_it_shows(coded):
    client, ids = coded
    page = client.get("/analyst/", query_string={"survey": "onboarding", "q": "night"}).get_data(as_text=True)
    links = dict(re.findall(r'id="export-(\w+)" href="([^"]+)"', page))
    assert set(links) == {"csv", "excel", "xlsx", "sav", "dta", "qdpx", "ndjson"}
    for fmt in ("xlsx", "sav", "dta", "qdpx", "ndjson"):
        response = client.get(html.unescape(links[fmt]))
        assert response.status_code == 200 and f".{fmt}" in response.headers["Content-Disposition"]
    rows = client.get(html.unescape(links["csv"])).get_data(as_text=True).splitlines()
    assert len(rows) == 3  # the header and the two night-shift answers: the search, not everything
