"""A corpus with a planted theme (trouble with the VPN) among other onboarding answers, in each engine."""
import random

import pytest

from collector import create_app
from tests.helpers import drain, log_in, new_state, store, wait_until

PLANTED = ["{a} VPN {b} {c}", "could not reach the {d} over the VPN {c}", "the VPN token {b} again {c}",
           "remote access through the VPN {b}, {c}", "VPN client {b} every morning {c}"]
OTHER = ["lunch with the {e} was {f}", "my {g} arrived {f}", "the wiki about {e} was {f}", "{g} setup took a day",
         "my buddy in the {e} team was {f}", "the first week {e} meetings felt {f}", "badge and {g} were ready"]
WORDS = {"a": ["The", "My", "Our", "Again the"], "b": ["dropped", "failed", "expired", "timed out", "broke"],
         "c": ["today", "on day one", "all week", "twice", "since Monday"], "d": ["repository", "wiki", "database",
         "build server"], "e": ["design", "platform", "sales", "support"], "f": ["great", "slow", "fine", "friendly",
         "late", "odd"], "g": ["laptop", "phone", "monitor", "keyboard"]}


def text(template, rng):
    return template.format(**{key: rng.choice(values) for key, values in WORDS.items()})


class Corpus:
    """60 planted answers and 140 others; an analyst client; helpers to label and to wait for a model."""

    def __init__(self, app):
        rng, self.app = random.Random(5), app
        self.planted = [store(app, text(rng.choice(PLANTED), rng), state=new_state(app)) for _ in range(60)]
        self.other = [store(app, text(rng.choice(OTHER), rng), state=new_state(app)) for _ in range(140)]
        if app.config["SEARCH_URL"]:
            drain(app)
        self.client = app.test_client()
        log_in(self.client)
        assert self.client.post("/analyst/api/codes", json={"name": "VPN"}).status_code == 201

    def label(self, positives, negatives):
        """Code the positives by hand, and reject the negatives as suggestions."""
        for answer in positives:
            self.client.post(f"/analyst/api/responses/{answer}/codes", json={"add": ["VPN"]})
        for answer in negatives:
            rejected = self.client.post(f"/analyst/api/codes/VPN/suggestions/{answer}", json={"accept": False})
            assert rejected.status_code == 200
        if self.app.config["SEARCH_URL"]:
            drain(self.app)

    def model(self, version=None):
        """The suggestions once a model other than `version` is ready (polling, as the page does)."""
        found = {}

        def ready():
            found.update(self.client.get("/analyst/api/codes/VPN/suggestions", query_string={"size": 1000}).json)
            return found["model"] and found["model"]["version"] != version and not found["training"]
        assert wait_until(ready, timeout=90), found.get("training")
        return found


@pytest.fixture
def corpus(engine_config):
    return Corpus(create_app(engine_config))
