"""A real OpenSearch 2.19 node from Maven artifacts (see node.py; `make opensearch`)."""
