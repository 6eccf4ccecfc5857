"""Highlights from the stemmed field and the words-as-typed field become one safe fragment."""
import pytest

from collector.search.highlights import fragment


def test_marks_of_both_fields_are_united():
    stems = "We <mark>deploy</mark> often; deploying is easy."
    typed = "We <mark>deploy</mark> often; <mark>deploying</mark> is easy."
    assert fragment([stems, typed]) == "We <mark>deploy</mark> often; <mark>deploying</mark> is easy."


def test_a_long_answer_gives_a_fragment_around_the_first_mark_cut_at_spaces():
    essay = "An opening sentence about nothing. " * 20 + "Here the <mark>tooling</mark> mattered. " + "Filler. " * 50
    out = fragment([essay])
    assert "<mark>tooling</mark>" in out and len(out) < 260
    assert out.startswith(("about", "nothing", "An", "opening", "sentence")) and not out.endswith(" ")


@pytest.mark.parametrize("escaped", ["&lt;b&gt;", "&amp;", "&#x2F;"])
def test_a_cut_never_splits_an_html_entity(escaped):
    essay = (escaped + "word ") * 30 + "<mark>needle</mark> " + (escaped + "word ") * 60
    out = fragment([essay])
    for piece in out.replace("<mark>", " ").replace("</mark>", " ").split():
        assert "&" not in piece or piece.count("&") == piece.count(";"), piece


def test_without_marks_the_opening_is_given():
    assert fragment(["Just some text."]) == "Just some text."
