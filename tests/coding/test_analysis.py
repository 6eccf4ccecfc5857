"""What coding's analysis tells an analyst, in both engines: distinctive terms (the panel and the
API alike, a survey's common words when nothing stands out) and similar answers."""
import re


def test_distinctive_terms_are_words_and_phrases_over_represented_in_the_matches(coding):
    terms = coding.get("/analyst/api/terms", **{"f.role": "Engineer"})["terms"]
    found = {t["term"]: t["count"] for t in terms}
    assert found["night"] == 5 and found["night shift"] == 5 and found["shift"] == 5
    assert "laptop" not in found  # 2 of 5 engineers, 3 of 12 answers: not distinctive enough to count
    assert all(t["score"] > 0 for t in terms)
    assert coding.get("/analyst/api/terms", q="night")["terms"][0]["count"] == 5


def test_the_panel_and_the_api_offer_the_same_terms_and_a_survey_alone_gets_its_common_words(coding):
    api = [t["term"] for t in coding.get("/analyst/api/terms", q="night OR laptop")["terms"]]
    panel = coding.client.get("/analyst/panels/terms", query_string={"q": "night OR laptop"},
                              headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert api and "night" not in api and "laptop" not in api  # the search asks for them already
    assert re.findall(r'>([^<>]+?) <span class="badge', panel) == api
    alone = coding.get("/analyst/api/terms", survey="onboarding")
    assert alone["most_common"] is True and "night" in [t["term"] for t in alone["terms"]]
    page = coding.client.get("/analyst/panels/terms", query_string={"survey": "onboarding"}).get_data(as_text=True)
    assert "its most common words" in page and "Nothing stands out in these answers" not in page


def test_similar_answers_are_the_ones_sharing_its_distinctive_words(coding):
    hits = coding.get(f"/analyst/api/responses/{coding.night[0]}/similar")["hits"]
    ids = [hit["id"] for hit in hits]
    assert coding.night[0] not in ids and set(ids[:4]) == set(coding.night[1:])
    assert coding.get("/analyst/api/responses/00000000-0000-4000-8000-000000000000/similar", 404)


def test_the_unfiltered_dashboard_lists_the_most_common_words_and_never_says_two_things_at_once(coding):
    page = coding.client.get("/analyst/panels/terms", headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert "The most common words and phrases of all answers" in page and ">night <span" in page
    exit_only = coding.client.get("/analyst/panels/terms", query_string={"survey": "exit"},
                                  headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    # none to list
    assert "most common" not in exit_only and "Nothing stands out in these answers." in exit_only
