"""Survey definitions: checked at start-up and by `surveys check`, every mistake located and named."""
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from collector import create_app, journal
from collector.surveys import SurveyError, loading
from models import SurveyResponse
from tests.helpers import SURVEYS_YAML, write_surveys

ROOT = Path(__file__).resolve().parents[2]
ONE_QUESTION = "    questions:\n      - {id: a, type: essay, label: A}\n"


@pytest.mark.parametrize("definition, message", [
    ("surveys: []", "needs a top-level 'surveys:' list"),
    ("surveys:\n  - slug: Not OK\n    title: T\n" + ONE_QUESTION, "survey #1: slug 'Not OK' must be"),
    ("surveys:\n  - slug: s\n    title: T\n    colour: red\n" + ONE_QUESTION, "survey #1 's': unknown key 'colour'"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: a, type: slider, label: A}\n",
     "survey #1 's', question #1 'a': type 'slider' must be one of"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: a, type: essay, label: A}\n"
     "      - {id: a, type: text, label: B}\n", "question #2: id 'a' is used twice in this survey"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: r, type: choice, label: R, options: [x]}\n",
     "question #1 'r': needs 'options'"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: r, type: rating, label: R, min: 3, max: 1}\n",
     "a rating needs whole numbers min < max"),
    ("surveys:\n  - slug: s\n    title: T\n    opens: 2026-06-01\n    closes: 2026-01-01\n" + ONE_QUESTION,
     "'closes' must come after 'opens'"),
    ("surveys:\n  - slug: s\n    title: T\n    closes: someday\n" + ONE_QUESTION, "'closes' must be a date"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: email, type: text, label: E}\n",
     "id 'email' must be"),
    ("surveys:\n  - slug: s\n    title: T\n    hidden: [a]\n" + ONE_QUESTION, "hidden field 'a' must be"),
    ("surveys:\n  - slug: s\n    title: T\n" + ONE_QUESTION + "  - slug: u\n    title: U\n    questions:\n"
     "      - {id: a, type: rating, label: A}\n", "field 'a' is integer here but text in survey 's'"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: a, type: essay, label: Why?, required: true}\n",
     "put text that holds '?'"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: a, type: essay, label: A,"
     " min_label: Low}\n",
     "'min_label' does not apply to an essay question"),
    ("surveys:\n  - slug: s\n    title: T\n    questions:\n      - {id: r, type: rating, label: R,"
     " max_label: ''}\n",
     "'max_label' is the words for that end of the scale"),
])
def test_a_mistake_stops_start_up_and_says_where_and_what(app_config, tmp_path, definition, message):
    with pytest.raises(SurveyError) as error:
        create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, definition)))
    assert message in str(error.value) and "surveys.yaml" in str(error.value)


@pytest.mark.parametrize("name", ["id", "receipt", "version", "codes", "tags", "is_spam", "submitted_at", "user_agent"])
def test_no_question_or_hidden_field_takes_an_export_columns_name(app_config, tmp_path, name):
    """A respondent's answer must never stand in the export's receipt, codes or spam column."""
    for definition, where in [(f"    questions:\n      - {{id: {name}, type: text, label: A}}\n", f"id '{name}'"),
                              (f"    hidden: [{name}]\n" + ONE_QUESTION, f"hidden field '{name}'")]:
        with pytest.raises(SurveyError, match=where):
            create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, "surveys:\n  - slug: s\n    title: T\n"
                                                                   + definition)))


def test_every_mistake_is_listed_at_once(app_config, tmp_path):
    definition = "surveys:\n  - slug: ok\n    colour: red\n" + ONE_QUESTION
    with pytest.raises(SurveyError) as error:
        create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, definition)))
    assert len(str(error.value).splitlines()) == 2  # the unknown key, the missing title


def test_a_bad_slug_hides_none_of_the_surveys_other_mistakes(runner, tmp_path):
    definition = ("surveys:\n  - slug: Bad Slug\n    colour: red\n    email: sometimes\n    opens: 2026-06-01\n"
                  "    closes: 2026-01-01\n    questions:\n      - {id: a, type: slider, label: A}\n"
                  "      - {id: r, type: rating, label: R, min: 3, max: 1}\n"
                  "  - slug: fine\n    title: Fine\n    questions:\n      - {id: b, type: essay}\n")
    result = runner.invoke(args=["surveys", "check", write_surveys(tmp_path, definition, "bad.yaml")])
    assert result.exit_code == 1
    for mistake in ("slug 'Bad Slug' must be", "unknown key 'colour'", "'email' must be required, optional or off",
                    "'closes' must come after 'opens'", "type 'slider' must be one of", "min < max", "needs a title",
                    "survey #2 'fine', question #1 'b'"):
        assert mistake in result.output


def test_surveys_check_exits_non_zero_on_a_bad_file_and_zero_on_a_good_one(runner, tmp_path):
    bad = runner.invoke(args=["surveys", "check", write_surveys(tmp_path, "surveys:\n  - slug: X\n", "bad.yaml")])
    assert bad.exit_code == 1 and "slug 'X' must be" in bad.output
    good = runner.invoke(args=["surveys", "check", write_surveys(tmp_path)])
    assert good.exit_code == 0 and "2 survey(s), 8 question(s): onboarding, exit. OK." in good.output


def test_the_example_file_in_the_repository_is_valid(runner):
    result = runner.invoke(args=["surveys", "check", str(ROOT / "surveys.example.yaml")])
    assert result.exit_code == 0, result.output


def test_surveys_list_shows_version_state_and_count(app_config, tmp_path):
    closed = SURVEYS_YAML.replace("  - slug: exit\n", "  - slug: exit\n    closes: 2020-01-01\n")
    app = create_app(dict(app_config, SURVEYS_FILE=write_surveys(tmp_path, closed)))
    client = app.test_client()
    client.post("/s/onboarding", data={"experience": "fine", "role": "Engineer", "consent": "y"})
    lines = app.test_cli_runner().invoke(args=["surveys", "list"]).output.splitlines()
    assert lines[1].split()[:4] == ["onboarding", "2", "open", "1"]
    assert lines[2].split()[:4] == ["exit", "1", "closed", "0"]


def test_without_a_file_there_is_one_default_survey_at_the_root(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="essay"' in page and 'name="email"' in page
    assert client.get("/s/survey").status_code == 200


def test_a_survey_with_more_text_questions_than_an_answer_can_index_is_refused(runner, tmp_path):
    """Issue 30 #5: answers with 65 or more texts overlapped the next answer's rows in the word index."""
    questions = "".join(f"      - {{id: t{n}, type: text, label: Question {n}}}\n" for n in range(65))
    definition = f"surveys:\n  - slug: long\n    title: Long\n    questions:\n{questions}"
    result = runner.invoke(args=["surveys", "check", write_surveys(tmp_path, definition, "long.yaml")])
    assert result.exit_code == 1 and "long.yaml" in result.output and "'long'" in result.output
    assert "65 essay and text questions; a survey may have at most 64" in result.output


def test_the_journal_never_stores_an_answer_with_more_texts_than_it_can_index(app):
    doc = SurveyResponse(meta={"id": str(uuid.uuid4())}, essay="many", email="a@example.org", survey="survey",
                         submitted_at=datetime.now(timezone.utc), tags=[], answers={f"t{n}": "x" for n in range(65)})
    with app.app_context(), pytest.raises(ValueError, match="at most 64 texts"):
        journal.insert(doc, texts={f"t{n}": f"text {n}" for n in range(65)})
    with app.app_context():
        assert journal.counts()["pending"] == 0 and journal.count_for_survey("survey") == 0


ONE_SURVEY = "  - slug: a\n    title: A\n" + ONE_QUESTION


@pytest.mark.parametrize("text, message", [
    (f"surveys:\n{ONE_SURVEY}surveys:\n{ONE_SURVEY.replace('slug: a', 'slug: b')}", "the key 'surveys' appears twice"),
    ("x: &a [1, 2]\ny: &b [*a, *a]\nsurveys:\n" + ONE_SURVEY, "aliases (*name) are not allowed"),
    (f"surveys:\n{ONE_SURVEY}    opens: 2026-13-45\n", "opens"),
    (f"surveys:\n{ONE_SURVEY}    hidden: [{{a: 1}}]\n", "'hidden' must be a list of field names"),
    ("surveys:\n  - slug: a\n    title: A\n    questions:\n      - {id: c, type: choice, label: C, options: [Yes, No]}\n",
     None),
])
def test_the_survey_file_checker_refuses_what_would_silently_change_a_definition(runner, tmp_path, text, message):
    """Issue 30 #15: duplicate keys, aliases, impossible dates and odd hidden fields are located mistakes."""
    result = runner.invoke(args=["surveys", "check", write_surveys(tmp_path, text, "s.yaml")])
    if message is None:  # YAML 1.1 would have read [Yes, No] as [True, False]
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1 and "s.yaml" in result.output and message in result.output, result.output


def test_yes_no_stay_words_and_leading_zeros_and_colons_stay_what_was_typed(tmp_path):
    text = ("surveys:\n  - slug: a\n    title: A\n    version: 010\n    questions:\n"
            "      - {id: c, type: choice, label: C, options: [Yes, No, '1:30']}\n")
    catalog = loading.load(write_surveys(tmp_path, text, "s.yaml"), 5000)
    survey = catalog.surveys["a"]
    assert survey.version == 10 and survey.questions[0].values == ("Yes", "No", "1:30")


def test_a_survey_file_that_is_not_utf8_is_a_located_mistake(runner, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(f"surveys:\n{ONE_SURVEY}".replace("title: A", "title: Caf\xe9").encode("latin-1"))
    result = runner.invoke(args=["surveys", "check", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output and "latin1.yaml" in result.output
