"""Issue 38 #9 and #10: conditions and files that are too long or too deep are refused with a sentence
(never a RecursionError, a MemoryError or a form that answers 500), and what is within bounds works."""
import pytest

from collector import create_app
from collector.surveys import SurveyError, conditions, loading
from collector.surveys.conditions import PARENTHESES_MAX
from collector.surveys.strict_yaml import NESTING_MAX
from tests.helpers import write_surveys

SURVEY = """
surveys:
  - slug: pulse
    title: Pulse
    questions:
      - {id: role, type: choice, label: Your role, options: [Engineer, Manager]}
      - {id: tools, type: choices, label: Tools, options: [OPTIONS]}
      - {id: why, type: essay, label: "Why?", show_if: 'CONDITION'}
"""
OPTIONS = [f"Tool {n}" for n in range(24)]


def survey_file(tmp_path, condition, options=OPTIONS):
    """A survey file whose last question shows under `condition`."""
    return write_surveys(tmp_path, SURVEY.replace("OPTIONS", ", ".join(options)).replace("CONDITION", condition))


def nested(depth):
    return "(" * depth + 'role == "Manager"' + ")" * depth


@pytest.mark.parametrize("condition, message", [
    (" or ".join(['role == "Manager"'] * 600), "at most 200"),
    (nested(164), "at most 200"),
    (nested(PARENTHESES_MAX + 1), f"nest at most {PARENTHESES_MAX} deep"),
    ("not " * 5000 + "role", "at most 200"),
])
def test_a_condition_too_long_or_too_deep_is_refused_by_check_and_at_start(tmp_path, app_config, condition, message):
    path = survey_file(tmp_path, condition)
    with pytest.raises(SurveyError, match=message):
        loading.load(path, 10_000)
    with pytest.raises(SurveyError, match=message):
        create_app(dict(app_config, SURVEYS_FILE=path))


def test_a_condition_within_the_bounds_reads_and_shows_the_form(tmp_path, app_config):
    condition = nested(PARENTHESES_MAX) + " or " + " or ".join(['"Tool 1" in tools'] * 40)
    app = create_app(dict(app_config, SURVEYS_FILE=survey_file(tmp_path, condition)))
    assert conditions.holds(conditions.parse(condition), {"role": "Manager"})
    assert app.test_client().get("/s/pulse").status_code == 200


def test_a_condition_naming_two_dozen_options_is_checked_without_building_every_subset(tmp_path):
    condition = " and ".join(f'"{option}" in tools' for option in OPTIONS)  # 2^25 subsets if each were built
    survey = loading.load(survey_file(tmp_path, condition), 10_000).get("pulse")
    assert survey.question("why").show_if == condition


def test_a_survey_file_nested_three_thousand_deep_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("surveys:\n" + "- " * 3000 + "x\n", encoding="utf-8")
    with pytest.raises(SurveyError, match=f"more than {NESTING_MAX} levels deep"):
        loading.load(path, 10_000)
