"""Issue 40 #7: statistics exports a statistician can use without cleaning, read back with pyreadstat and
openpyxl: consent as 1/0 (labelled), a choice as a labelled number, a multiple choice as one 0/1 variable
per option, and a parent code's variable 1 for answers with any code under it; in both engines."""
import openpyxl
import pyreadstat
import pytest

from collector import create_app
from collector.coding import stores
from tests.helpers import drain, log_in, new_state, store, write_surveys

ANSWERS = [("night shift one", {"role": "Designer", "tools": ["VPN", "Slack"], "consent": "y"}),
           ("night shift two", {"role": "Engineer", "tools": ["Docker"]}),
           ("a quiet day", {"role": "Manager"})]


@pytest.fixture
def team(engine_config, tmp_path):
    """(analyst client, {text: id}): three onboarding answers; 'People' has 'Night shift' under it."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path)))
    ids = {text: store(app, text, state=new_state(app), survey="onboarding", survey_version=2,
                       answers={"experience": text, **given}) for text, given in ANSWERS}
    if app.config["SEARCH_URL"]:
        drain(app)
    with app.test_request_context():
        people = stores.current().create_code("People", "", "ada")
        nights = stores.current().create_code("Night shift", "", "ada", people)
        stores.current().apply(nights, [ids["night shift one"], ids["night shift two"]], "ada", [])
    if app.config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    return client, ids


@pytest.mark.parametrize("fmt, read", [("sav", pyreadstat.read_sav), ("dta", pyreadstat.read_dta)])
def test_spss_and_stata_variables_need_no_cleaning(team, tmp_path, fmt, read):
    client, _ = team
    (tmp_path / f"a.{fmt}").write_bytes(client.get(f"/analyst/export.{fmt}?survey=onboarding").get_data())
    frame, meta = read(str(tmp_path / f"a.{fmt}"))
    rows = {row["experience"]: row for row in frame.to_dict("records")}
    labels = meta.variable_value_labels
    assert labels["role"] == {1: "Engineer", 2: "Designer", 3: "Manager"}
    assert [rows[t]["role"] for t, _ in ANSWERS] == [2, 1, 3]
    assert labels["consent"] == {0: "not given", 1: "given"}
    assert [rows[t]["consent"] for t, _ in ANSWERS] == [1, 0, 0]
    assert "tools" not in frame.columns and labels["tools_VPN"] == {0: "not chosen", 1: "chosen"}
    assert (rows["night shift one"]["tools_VPN"], rows["night shift one"]["tools_Slack"],
            rows["night shift one"]["tools_Docker"], rows["night shift two"]["tools_Docker"]) == (1, 1, 0, 1)
    assert meta.column_names_to_labels["tools_VPN"] == "Which tools did you use?: VPN"
    assert [rows[t]["code_People"] for t, _ in ANSWERS] == [1, 1, 0]  # the code under it counts
    assert [rows[t]["code_Night_shift"] for t, _ in ANSWERS] == [1, 1, 0]


def test_a_workbook_keeps_choices_as_text_and_splits_multiple_choices(team, tmp_path):
    client, _ = team
    (tmp_path / "a.xlsx").write_bytes(client.get("/analyst/export.xlsx?survey=onboarding").get_data())
    sheet = list(openpyxl.load_workbook(tmp_path / "a.xlsx")["answers"].iter_rows(values_only=True))
    rows = {row["experience"]: row for row in (dict(zip(sheet[0], values)) for values in sheet[1:])}
    one = rows["night shift one"]
    assert (one["role"], one["consent"], one["tools_VPN"], one["tools_Docker"], one["code_People"]) == (
        "Designer", 1, 1, 0, 1)
    assert rows["a quiet day"]["consent"] == 0 and rows["a quiet day"]["tools_VPN"] is None  # not answered
