"""The coding tests' shared setting: one engine's app with onboarding answers and an analyst."""
import pytest

from collector import create_app
from models import id_for_receipt
from tests.helpers import drain, log_in, onboarding_answer, receipt_of, write_surveys

NIGHT = ["The night shift rota left me exhausted, round {n}.", "Night shift handovers were chaotic on day {n}.",
         "Working the night shift meant no onboarding buddy for {n} days.", "My night shift started before the "
         "laptop arrived, {n} times over.", "Night shift again: nobody answered questions after {n} pm."]
OTHER = ["Slack channels were friendly and the wiki was clear {n}.", "My manager planned the first week well {n}.",
         "Docker setup took an afternoon, then all was fine {n}.", "The VPN worked first time {n}.",
         "Lunch with the team helped me settle in {n}.", "Pairing sessions taught me the codebase {n}.",
         "The laptop arrived early and the accounts were ready {n}."]


class Coding:
    """One engine's app with onboarding answers, an analyst client, and the answers' ids."""

    @classmethod
    def of(cls, engine_config, tmp_path):
        """One in the engine engine_config names, serving the test surveys."""
        config = dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path), PAGE_SIZE=100)
        return cls(create_app(config), "opensearch" if config["SEARCH_URL"] else "embedded")

    def __init__(self, app, kind):
        self.app, self.kind, self.client = app, kind, app.test_client()
        log_in(self.client)
        self.night = [self.answer(text.format(n=n), role="Engineer", settle=False) for n, text in enumerate(NIGHT)]
        self.other = [self.answer(text.format(n=n), role="Designer" if n % 2 else "Manager", settle=False)
                      for n, text in enumerate(OTHER)]
        self.settle()

    def answer(self, essay, settle=True, **changes):
        """Submit an onboarding answer through the form, as a respondent; its id (searchable, unless settle=False)."""
        response = self.app.test_client().post("/s/onboarding", data=onboarding_answer(experience=essay, **changes))
        assert response.status_code == 303
        if settle:
            self.settle()
        return id_for_receipt(receipt_of(response))

    def settle(self):
        """Make every answer so far searchable (search mode ships them first)."""
        return self.kind == "opensearch" and drain(self.app)

    def ids(self, **params):
        """Ids of the answers a search finds (every page)."""
        found = self.get("/analyst/api/search", per_page=100, **params)
        return [hit["id"] for hit in found["hits"]]

    def get(self, url, status=200, **params):
        """GET JSON, checking the status."""
        response = self.client.get(url, query_string=params)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.json

    def post(self, url, body=None, status=200, **params):
        """POST JSON, checking the status."""
        response = self.client.post(url, json=body, query_string=params)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.json


@pytest.fixture
def coding(engine_config, tmp_path):
    """Twelve onboarding answers, five about the night shift (all engineers), in each engine."""
    return Coding.of(engine_config, tmp_path)
