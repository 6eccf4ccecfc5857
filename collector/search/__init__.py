"""The search seam: the query model, and two engines (embedded FTS5, OpenSearch) behind it.

Modules: model (Query in, Page of Hits out; imports nothing from the project), snippets
(HTML-safe highlights), embedded, opensearch, insights (dashboard figures), engines (picks one).
"""
