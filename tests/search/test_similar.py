"""Similar answers mean the same in both engines: answers sharing the words this one shares with
others, however many words only this answer has."""
from collector import create_app
from tests.helpers import drain, log_in, new_state, store

# A long answer: most of its words are its own (rare, so a tf-idf pick prefers them) and a few
# it shares with the answers that should come back.
LIKED = ("Quetzal zephyr marmalade cobalt tangerine obsidian lanterns, wobbly periscopes, vermilion "
         "gazebos and a saxophone: then my VPN token expired twice.")
SHARING = ["The VPN token expired on Monday.", "My token expired during the demo.", "VPN access took days."]
UNRELATED = ["Lunch with the team was lovely.", "The wiki was clear.", "Docker setup took an afternoon.",
             "Pairing taught me the codebase.", "My manager planned the week."]


def similar_ids(engine_config):
    app = create_app(engine_config)
    state = new_state(app)
    liked = store(app, LIKED, state=state)
    sharing = {store(app, text, state=state) for text in SHARING}
    for text in UNRELATED:
        store(app, text, state=state)
    if engine_config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    return [hit["id"] for hit in client.get(f"/analyst/api/responses/{liked}/similar").json["hits"]], sharing


def test_answers_sharing_words_come_back_despite_the_answers_own_rare_words(engine_config):
    found, sharing = similar_ids(engine_config)
    assert set(found) == sharing  # and none of the answers that share nothing
