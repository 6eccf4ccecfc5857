"""Two instances of the app, for behaviour every instance of a fleet must share."""
import pytest

from collector import create_app


@pytest.fixture
def instances(engine_config, tmp_path, clock):
    """Two instances: in search mode each with its own disk; embedded, two workers of one journal."""
    engine_config.update(SESSION_CHECK_SECONDS=0.3)
    embedded = not engine_config["SEARCH_URL"]
    other = engine_config["DATA_DIR"] if embedded else str(tmp_path / "b")
    return create_app(engine_config), create_app(dict(engine_config, DATA_DIR=other))
