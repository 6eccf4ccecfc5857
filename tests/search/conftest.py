"""The search modules' shared fixture: one domain for a whole module, whose corpus is built once."""
import uuid

import pytest

from tests.frontdoor.domain import Domain
from tests.helpers import KEY, SECRET, TOKEN, signing_environment


@pytest.fixture(scope="module")
def module_domain(opensearch_url):
    """One domain (the real node behind the front door) for a module, its key in the environment."""
    with pytest.MonkeyPatch.context() as env:
        signing_environment(env)
        with Domain(opensearch_url, alias=f"module-{uuid.uuid4().hex[:8]}") as door:
            door.add_key(KEY, SECRET, TOKEN)
            yield door
            door.remove_indices()
