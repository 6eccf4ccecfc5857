"""The search seam: the query model, and two engines (embedded FTS5, OpenSearch) behind one interface.

Modules: query (Query in, Page of Hits out; imports nothing from the project), params (request parameters
into a Query), condition_filters (show_if conditions as filters), results (the SearchEngine interface and
what it gives), engines (the app's engine), embedded, embedded_analysis and selection (FTS5 over the
journal), opensearch, opensearch_analysis and opensearch_bodies (the domain through es_client),
highlights and snippets (marked, HTML-safe fragments), distinctive (terms that stand out), charts
(dashboard geometry), by_meaning (search by meaning and the hybrid, over either engine's nearest()).
"""
