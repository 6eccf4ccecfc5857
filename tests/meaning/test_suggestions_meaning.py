"""Issue 42 #3: a code's suggestions learn from meaning too, so an answer that shares no word with the coded
examples is still suggested."""
import pytest

from bench import paraphrases
from collector import create_app
from collector.suggestions import model
from tests.helpers import log_in
from tests.suggestions.conftest import Corpus

UNSEEN = ["Honestly the amount they bill is outrageous.", "Nobody should have to spend that kind of cash."]


def examples():
    """Twenty answers said about cost and twenty about other things, as a coder labelled them."""
    cost = paraphrases.THEMES["Cost"][1][:20]
    other = [phrasing for code, (_, phrasings) in paraphrases.THEMES.items() if code != "Cost"
             for phrasing in phrasings[:3]][:20]
    return cost + other, [1] * len(cost) + [0] * len(other)


def test_meaning_scores_an_answer_that_shares_no_word_with_the_examples(model_dir):
    texts, labels = examples()
    by_words = model.fitted(texts, labels).predict_proba(UNSEEN)[:, 1]
    with_meaning = model.fitted(texts, labels, str(model_dir)).predict_proba(UNSEEN)[:, 1]
    assert all(with_meaning >= 0.5) and all(with_meaning > by_words + 0.2)


def test_a_model_with_meaning_is_another_version_than_one_without(model_dir):
    texts, labels = examples()
    ids = [str(n) for n in range(len(texts))]
    assert model.version_of(ids, labels) != model.version_of(ids, labels, str(model_dir))


@pytest.mark.slow
def test_a_server_that_gains_the_model_trains_the_code_again_with_meaning(app_config, model_dir, tmp_path):
    without = Corpus(create_app(dict(app_config, MODEL_DIR=str(tmp_path / "no-model"))))
    without.label(without.planted[:20], without.other[:20])
    first = without.model()["model"]["version"]
    # the same DATA_DIR and journal, restarted
    gained = create_app(dict(app_config, MODEL_DIR=str(model_dir)))
    client = gained.test_client()
    log_in(client)
    without.app, without.client = gained, client
    retrained = without.model(first)["model"]  # the same examples: only the features differ
    assert retrained["version"] != first and retrained["examples"] == 40
