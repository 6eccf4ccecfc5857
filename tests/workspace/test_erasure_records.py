"""Erasing an answer in a fleet takes every workspace record's mention of it, whatever kind of record
holds it: a forgetter of one kind must never rewrite another kind's records (a round's clean-up once
emptied the suggestion decisions' list of answers, so their own clean-up found nothing to erase)."""
from collector.analyst import erasure
from collector.respondent import drafts
from collector.suggestions import decisions
from tests.helpers import settle, store


def test_an_erasure_takes_the_suggestion_decisions_and_the_begun_change_of_the_answer(search_app):
    kept, gone = store(search_app, "kept answer"), store(search_app, "erased answer")
    with search_app.test_request_context():
        for answer in (kept, gone):
            decisions.current().decide("c1", answer, True, "ada")
        drafts.current().put({"token": "t-edit", "survey": "survey", "page": 0, "answers": {"essay": "erased answer"},
                              "hidden": {}, "edit_of": gone})
        settle(search_app)
        erasure.erase([gone], "ada", "receipt")
        assert decisions.current().decided("c1") == {kept: True}
        assert drafts.current().get("t-edit") is None
