"""Fixtures shared by the analyst tests: answers coded for the export tests."""
import pytest

from collector import create_app
from collector.coding import stores
from tests.helpers import drain, log_in, new_state, store, write_surveys


@pytest.fixture
def coded(engine_config, tmp_path):
    """(analyst client, {text: id}) for four onboarding answers, two coded 'Night shift'."""
    app = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path)))
    texts = ["night shift one", "night shift two", "=HYPERLINK(\"http://evil\")", "Grüße, ein Tag"]
    ids = {text: store(app, text, state=new_state(app), survey="onboarding", survey_version=2,
                       answers={"experience": text, "role": "Engineer", "satisfaction": 4}) for text in texts}
    if app.config["SEARCH_URL"]:
        drain(app)
    with app.test_request_context():
        code = stores.current().create_code("Night shift", "about nights", "ada")
        stores.current().apply(code, [ids[t] for t in texts[:2]], "ada", [])
        stores.current().create_code("Kit (laptops)", "", "ada")
    if app.config["SEARCH_URL"]:
        drain(app)
    client = app.test_client()
    log_in(client)
    return client, ids


@pytest.fixture
def download(tmp_path):
    """fetch(client, fmt): the path of a downloaded export of the onboarding answers."""
    def fetch(client, fmt):
        response = client.get(f"/analyst/export.{fmt}?survey=onboarding")
        assert response.status_code == 200 and f".{fmt}" in response.headers["Content-Disposition"]
        path = tmp_path / f"answers.{fmt}"
        path.write_bytes(response.get_data())
        return path
    return fetch
