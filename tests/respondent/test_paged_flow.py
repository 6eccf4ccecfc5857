"""Issue 40 #1: a paged survey never traps a respondent. For every combination of answers its conditions
can see (the answers `surveys check` tries for reachability), the flow, without JavaScript, reaches Send
in at most as many posts as there are pages; and Next on a page the answers make the last one says why
it comes back, now with Send."""
import itertools
import re
from pathlib import Path

import pytest

from collector import create_app
from collector.surveys import branching, conditions, loading, reachable

EXAMPLE = Path(__file__).resolve().parents[2] / "surveys.example.yaml"
LAST_PAGE = "No more pages follow for these answers"


def combinations(survey):
    """Every combination of answers the survey's conditions can tell apart, each once (hidden questions
    left out); a question no condition reads gets one answer (or none, when it may be left empty)."""
    trees = [conditions.parse(text) for text in survey_conditions(survey)]
    read = set().union(*(reachable.names_of(tree) for tree in trees))
    literals = set().union(*(reachable.literals_of(tree) for tree in trees))
    options = []
    for question in survey.questions:
        tried = reachable.answers_to_try(question, literals) if question.id in read else [None, "some words"]
        options.append([a for a in tried if not (a is None and question.required) and a != reachable.OTHER])
    seen = {}
    for values in itertools.product(*options):
        answers = {q.id: a for q, a in zip(survey.questions, values) if a is not None}
        visible = {q.id: answers[q.id] for q in branching.visible(survey, answers) if q.id in answers}
        seen.setdefault(repr(sorted(visible.items())), answers)
    return list(seen.values())


def survey_conditions(survey):
    return [text for text in [*(p.show_if for p in survey.page_list), *(q.show_if for q in survey.questions)] if text]


def form_value(question, answer):
    if question.type == "essay" or question.type == "text":
        return "some words" if answer == "some words" else str(answer)
    return answer if isinstance(answer, list) else str(answer)


def walk(client, survey, answers):
    """Fill each page as these answers say, pressing Send when offered, else Next; how many posts it took to send."""
    url, posts = f"/s/{survey.slug}", 0
    while posts <= len(survey.page_list):
        page = client.get(url).get_data(as_text=True)
        on_page = [q for q in survey.questions if re.search(rf'name="{q.id}"', page)]
        data = {q.id: form_value(q, answers[q.id]) for q in on_page if q.id in answers}
        data["action"] = "finish" if 'value="finish"' in page else "next"
        response = client.post(url, data=data)
        posts += 1
        assert response.status_code == 303, (answers, response.get_data(as_text=True)[:1500])
        if "/thanks/" in response.location:
            return posts
        url = response.location
    raise AssertionError(f"{answers}: no Send after {posts} posts on {len(survey.page_list)} pages")


@pytest.mark.slow
def test_every_combination_of_answers_reaches_send_within_as_many_posts_as_pages(app_config):
    app = create_app(dict(app_config, SURVEYS_FILE=str(EXAMPLE)))
    survey = loading.load(EXAMPLE, 10_000).get("pulse")
    flows = combinations(survey)
    assert len(flows) > 20  # the enumeration sees the branches
    for answers in flows:
        posts = walk(app.test_client(), survey, answers)
        assert posts <= len(survey.page_list), answers


def test_next_on_a_page_that_the_answers_make_the_last_comes_back_with_send_and_says_why(engine_config):
    app = create_app(dict(engine_config, SURVEYS_FILE=str(EXAMPLE)))
    client = app.test_client()
    first = client.get("/s/pulse").get_data(as_text=True)
    assert "Page 1 of 3" in first and 'value="finish"' not in first  # the VPN and team pages may still follow
    again = client.post("/s/pulse", data={"role": "Designer", "action": "next"}).location
    page = client.get(again).get_data(as_text=True)
    assert LAST_PAGE in page and 'value="finish"' in page and "Page 1 of 1" in page
    assert "/thanks/" in client.post(again, data={"role": "Designer", "action": "finish"}).location
    ticked = client.post("/s/pulse", data={"role": "Designer", "action": "next"}).location
    onward = client.post(ticked, data={"role": "Designer", "tools": "VPN", "action": "finish"}).location
    # ticking VPN brings its page
    assert "How well did the VPN work?" in client.get(onward).get_data(as_text=True)
