"""The index's form of an answer (models.to_index) loses nothing: read back, every answer is as given."""
import pytest

from models import from_index, index_body, to_index

BASE = {"email": "a@example.org", "survey": "world", "submitted_at": "2026-05-04T12:00:00+00:00", "tags": ["v1"]}


@pytest.mark.parametrize("essay, answers, kept_once", [
    ("Slow builds.", {"said": "Slow builds.", "role": "Engineer"}, "said"),  # the only text: kept once
    # two texts: both kept
    ("Slow builds.\n\nFast tests.", {"said": "Slow builds.", "more": "Fast tests."}, None),
    ("Other", {"said": "Other", "role": "Other"}, None),  # a choice that reads like the text: nothing dropped
    ("", {"role": "Engineer"}, None),  # no text at all
    ("Das Café war voll.", {"said": "Das Café war voll.", "language": "de"}, "said"),
])
def test_an_answer_read_back_from_the_index_is_the_answer_given(essay, answers, kept_once):
    source = {**BASE, "essay": essay, "answers": answers}
    indexed = to_index(source)
    assert indexed.get("lone_text") == kept_once
    assert kept_once is None or kept_once not in indexed["answers"]
    assert from_index(indexed) == source


def test_a_german_answer_carries_its_texts_for_german_stems_and_an_english_one_carries_none():
    german = to_index({**BASE, "essay": "Viel zu tun.\n\nMehr.", "answers": {
        "said": "Viel zu tun.", "more": "Mehr.", "language": "de", "tools": ["Git"]}})
    assert german["de"] == {"essay": "Viel zu tun.\n\nMehr.", "answers": {"said": "Viel zu tun.", "more": "Mehr."}}
    english = to_index({**BASE, "essay": "Lots to do.", "answers": {"said": "Lots to do.", "language": "en"}})
    assert "de" not in english and "fr" not in english


def test_empty_values_are_not_sent_to_the_index():
    indexed = to_index({**BASE, "essay": "Fine.", "user_agent": None, "codes": [], "answers": {
        "said": "Fine.", "tools": [], "note": None}})
    assert "user_agent" not in indexed and "codes" not in indexed and indexed["answers"] == {}


def test_a_body_with_vectors_leaves_the_next_body_without_them():
    """Issue 42: index_body once handed out the Document's own settings, so one body with vectors gave every
    later index `index.knn` (an index made for an old release's form then held vectors it should not)."""
    with_vectors = index_body({}, vectors=True)
    without = index_body({})
    assert with_vectors["settings"]["knn"] is True and "essay_vector" in with_vectors["mappings"]["properties"]
    assert "knn" not in without["settings"] and "essay_vector" not in without["mappings"]["properties"]
