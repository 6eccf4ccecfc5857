"""The coding pages' details a first-time user noticed (issue 29): what a code's deletion takes
with it, times written alike everywhere, similar answers by their words."""
import re

from tests.helpers import store


def test_deleting_a_code_first_lists_what_it_takes_with_it(app, analyst):
    analyst.post("/analyst/codes", data={"name": "Rota"})
    assert analyst.post("/analyst/api/saved", json={"name": "auto", "params": {"q": "x"}, "code": "Rota"}
                        ).status_code == 201
    assert analyst.post("/analyst/api/saved", json={"name": "filter", "params": {"code": "-Rota"}}).status_code == 201
    page = analyst.get("/analyst/codes/1/delete").get_data(as_text=True)
    assert "auto</a> stops giving it" in page and "filter</a> filters by it" in page
    assert "<strong>0</strong> answers" in page
    # looking deletes nothing
    assert [c["name"] for c in analyst.get("/analyst/api/codes").json["codes"]] == ["Rota"]


def test_times_read_alike_on_every_page_and_similar_answers_are_links_by_their_words(app, analyst):
    ids = [store(app, f"The night shift rota was hard, week {n}.") for n in range(3)]
    for topic in ("laptop arrived late", "wiki was clear", "lunch with the team", "pairing helped", "vpn worked"):
        store(app, f"My {topic}.")
    analyst.post("/analyst/codes", data={"name": "Rota"})
    analyst.post(f"/analyst/responses/{ids[0]}/codes", data={"add": "Rota"})
    analyst.post("/analyst/apply?q=night", data={"code": "Rota", "confirm": "yes"})
    analyst.post("/analyst/api/saved", json={"name": "nights", "params": {"q": "night"}})
    for url in ("/analyst/codes", f"/analyst/responses/{ids[0]}", "/analyst/saved", "/analyst/audit", "/analyst/"):
        page = analyst.get(url).get_data(as_text=True)
        assert "+00:00" not in re.sub(r'datetime="[^"]*"', "", page), url  # shown, not in machine attributes
        assert re.search(r">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d(:\d\d)? UTC</time>", page), url
    similar = analyst.get(f"/analyst/responses/{ids[0]}").get_data(as_text=True).split('id="similar"')[1]
    texts = re.findall(r"<a href=\"/analyst/responses/[^\"]+\">([^<]+)</a>", similar)
    assert sorted(texts) == [f"The night shift rota was hard, week {n}." for n in (1, 2)]
