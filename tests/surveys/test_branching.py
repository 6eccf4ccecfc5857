"""Issue 28 #2: show_if conditions: what they mean, and what `surveys check` refuses, naming the file,
survey and question."""
import pytest

from collector.surveys import SurveyError, branching, conditions, loading
from tests.helpers import write_surveys

ANSWERS = {"role": "Manager", "satisfaction": 2, "tools": ["Slack", "VPN"], "consent": "y"}


@pytest.mark.parametrize("condition, shown", [
    ('role == "Manager"', True), ("role == 'Engineer'", False), ('role != "Engineer"', True),
    ("satisfaction <= 2", True), ("satisfaction > 2", False), ('"VPN" in tools', True), ('"Docker" in tools', False),
    ('role == "Manager" and satisfaction < 3', True), ('not (role == "Manager") or "VPN" in tools', True),
    ("consent", True), ("not consent", False), ('headline == "x"', False), ("headline", False),
    ("not headline", True), ("satisfaction >= 2 and not (satisfaction > 4)", True),
])
def test_conditions_read_as_written_and_an_unanswered_question_matches_nothing(condition, shown):
    assert branching.shows(condition, ANSWERS) is shown


@pytest.mark.parametrize("condition, message", [
    ("role ==", "ends too soon"), ('role = "x"', "not part of a condition"), ("(role", "never closed"),
    ('role "x"', "unexpected"), ("__import__('os')", "unexpected"), ("", "empty"),
])
def test_a_condition_that_does_not_read_is_refused_and_nothing_is_evaluated(condition, message):
    with pytest.raises(SurveyError, match=message):
        conditions.parse(condition)


PAGED = """
surveys:
  - slug: pulse
    title: Pulse
    pages:
      - title: About you
        questions:
          - {id: role, type: choice, label: Your role, options: [Engineer, Manager]}
          - {id: tools, type: choices, label: Tools, options: [Slack, VPN]}
      - title: Your week
        show_if: {PAGE}
        questions:
          - {id: satisfaction, type: rating, label: "Satisfied?"}
          - {id: why, type: essay, label: "Why?", show_if: {QUESTION}}
"""


@pytest.mark.parametrize("page, question, message", [
    ('"VPN" in tools', "satisfaction <= 2", None),
    ("satisfaction > 1", "satisfaction <= 2", "page #2: show_if 'satisfaction > 1': 'satisfaction' is a later question"),
    ("team == 1", "satisfaction <= 2", "'team' is not a question"),
    ("role == 2", "satisfaction <= 2", "compares the question 'role' (text) with a number"),
    ('role == "Boss"', "satisfaction <= 2", "'Boss' is not an option of 'role', so this can never be true"),
    ('"VPN" in role', "satisfaction <= 2", "'in' asks whether an option"),
    ('"VPN" in tools', 'satisfaction < "low"', "'<' compares numbers"),
    ('"VPN" in tools', "why == 1", "question 'why': show_if 'why == 1': 'why' is a later question"),
    ('"VPN" in tools', "satisfaction > 5", "question 'why': show_if 'satisfaction > 5': no answers to the questions"),
    ('role == "Manager" and role == "Engineer"', "satisfaction <= 2", "page #2: show_if 'role == \"Manager\" and"),
    ('"VPN" in tools and not ("VPN" in tools)', "satisfaction <= 2", "would never show"),
    # can hold: fine
    ('role == "Manager" or role == "Engineer"', "not satisfaction or satisfaction >= 5", None),
    ('not ("Slack" in tools) and "VPN" in tools', "satisfaction != 3 and satisfaction != 4", None),
])
def test_surveys_check_refuses_bad_references_and_types_naming_where(tmp_path, page, question, message):
    path = write_surveys(tmp_path, PAGED.replace("{PAGE}", f"'{page}'").replace("{QUESTION}", f"'{question}'"))
    if message is None:
        survey = loading.load(path, 10_000).get("pulse")
        assert [page.questions for page in survey.page_list] == [("role", "tools"), ("satisfaction", "why")]
        return
    with pytest.raises(SurveyError) as refused:
        loading.load(path, 10_000)
    assert f"{path}: survey #1 'pulse'" in str(refused.value) and message in str(refused.value)


def test_page_breaks_between_questions_make_pages_and_an_empty_page_is_refused(tmp_path):
    text = """
surveys:
  - slug: breaks
    title: Breaks
    questions:
      - {id: one, type: text, label: One}
      - page_break: {title: Second, show_if: 'one == "go"'}
      - {id: two, type: text, label: Two}
"""
    survey = loading.load(write_surveys(tmp_path, text), 10_000).get("breaks")
    assert [(p.title, p.show_if, p.questions) for p in survey.page_list] == [
        ("", "", ("one",)), ("Second", 'one == "go"', ("two",))]
    with pytest.raises(SurveyError, match="page #2: has no questions"):
        loading.load(write_surveys(tmp_path, text.replace("      - {id: two", "      - page_break\n      - {id: two")),
                     10_000)
