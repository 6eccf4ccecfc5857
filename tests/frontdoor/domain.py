"""The test's view of a domain: the front door, plus direct reads of the node behind it."""
import threading

from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError

from tests.frontdoor import FrontDoor


class Domain(FrontDoor):
    """A front door with the test's view of the node behind it: one alias prefix per test, and
    direct (unsigned) reads and set-up calls that bypass the door."""

    def __init__(self, node_url, alias, **kwargs):
        super().__init__(node_url, **kwargs)
        self.alias = alias
        self.node = OpenSearch(hosts=self.node_urls, timeout=60, max_retries=3, retry_on_timeout=True)

    def docs(self, alias=None):
        """{id: source} of every document behind the alias (refreshed first: what is written, not what is searchable)."""
        alias = alias or self.alias
        self.node.indices.refresh(index=alias)
        found = self.node.search(index=alias, body={"size": 10_000, "query": {"match_all": {}}})
        return {hit["_id"]: hit["_source"] for hit in found["hits"]["hits"]}

    def docs_or_empty(self, alias=None):
        """Like docs, but {} while the index does not exist yet."""
        try:
            return self.docs(alias)
        except NotFoundError:
            return {}

    def index_of(self, alias=None):
        """The concrete index the alias points to."""
        return next(iter(self.node.indices.get_alias(name=alias or self.alias)))

    def mapping(self, alias=None):
        """The mapping of the index behind the alias."""
        return next(iter(self.node.indices.get_mapping(index=alias or self.alias).values()))["mappings"]

    def create_index(self, body, version=1):
        """Make `<alias>-v<version>` behind the alias directly, as an older release would have."""
        self.node.indices.create(index=f"{self.alias}-v{version}", body={**body, "aliases": {self.alias: {}}})

    def refresh_later(self, seconds, alias=None):
        """Writes become searchable only once, `seconds` from now (no periodic refresh until then):
        a long refresh interval, or Serverless's, made deterministic."""
        alias = alias or self.alias
        self.node.indices.put_settings(index=alias, body={"index": {"refresh_interval": "-1"}})
        timer = threading.Timer(seconds, lambda: self.node.indices.refresh(index=alias))
        timer.daemon = True
        timer.start()

    def serverless(self):
        """Behave as OpenSearch Serverless, deterministically: no _refresh, ?refresh ignored, and no write
        searchable (in this test's indices, those made later too) until the test calls make_visible()."""
        self.service = "aoss"
        self.node.indices.put_index_template(name=self.alias, body={
            "index_patterns": [f"{self.alias}*"], "template": {"settings": {"index.refresh_interval": "-1"}}})
        self.node.indices.put_settings(index=f"{self.alias}*", body={"index": {"refresh_interval": "-1"}},
                                       allow_no_indices=True)

    def make_visible(self):
        """The refresh interval has passed: every write so far becomes searchable."""
        self.node.indices.refresh(index=f"{self.alias}*")

    def remove_indices(self):
        """Delete every index of this test's prefix (and its Serverless template)."""
        self.node.indices.delete(index=f"{self.alias}*", expand_wildcards="all", ignore_unavailable=True)
        self.node.indices.delete_index_template(name=self.alias, ignore=404)
