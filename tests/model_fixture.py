"""The embedding model `make model` fetched, as a fixture every test may ask for (conftest imports it)."""
import os
from pathlib import Path

import pytest

from collector.meaning import embedder


@pytest.fixture(scope="session")
def model_dir():
    """The embedding model `make model` fetched; a skip saying how to fetch it (a failure under
    REQUIRE_OPENSEARCH, as in CI, which fetches it)."""
    folder = Path(__file__).resolve().parent.parent / "embedding-model"
    try:
        embedder.checked(folder)
    except embedder.ModelMissing as exc:
        if os.environ.get("REQUIRE_OPENSEARCH"):
            pytest.fail(f"REQUIRE_OPENSEARCH is set: {exc}", pytrace=False)
        pytest.skip(str(exc))
    return folder
