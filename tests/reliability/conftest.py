"""The reliability tests' setting: the coding tests' answers, the codes Rota and Kit, and a second coder."""
import pytest

from tests.coding.conftest import Coding
from tests.helpers import log_in


class Round(Coding):
    """Coding's app and analyst (ada), plus bea's client, and helpers to start and code a round."""

    def __init__(self, app, kind):
        super().__init__(app, kind)
        self.bea = app.test_client()
        log_in(self.bea, "bea")
        for name in ("Rota", "Kit"):
            self.post("/analyst/api/codes", {"name": name}, status=201)

    def start(self, status=201, **body):
        """Start a round (ada and bea, Rota and Kit, 6 of the 12 answers, seed 7, ada its creator who codes in
        it and may still close it, unless body says otherwise)."""
        body = {"name": "Pilot", "codes": ["Rota", "Kit"], "params": {},
                "sample": 6, "seed": 7, "coders": ["ada", "bea"], "creator_decides": True, **body}
        return self.post("/analyst/api/rounds", body, status=status)

    def code_as(self, client, round_id, unit, codes, status=200):
        """One coder's codes for one unit."""
        response = client.post(f"/analyst/api/rounds/{round_id}/units/{unit}", json={"codes": codes})
        assert response.status_code == status, response.get_data(as_text=True)
        return response.json


@pytest.fixture
def team(engine_config, tmp_path):
    """Twelve answers in each engine, two codes, ada and bea logged in."""
    return Round.of(engine_config, tmp_path)
