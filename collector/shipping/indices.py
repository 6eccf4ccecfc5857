"""The index behind the alias: made on first use (<alias>-v1), and given new questions' fields in
place; a field whose kind changed, an analysis of words from an earlier release, or the answers'
meaning (vectors need `index.knn`, which an existing index cannot be given) needs `flask reindex`
(reindexing.py). `vectors` says whether this deployment keeps vectors in the index (not on
Serverless, whose search collections have no k-NN)."""
import contextlib

import es_client
from collector.search.opensearch_analysis import holds_vectors
from models import index_body

# A backfill into the serving index refreshes it twice a minute, not every second: answers it sends
# become searchable in batches, and if the command is killed the index is at most 30 s behind.
BACKFILL = {"index.refresh_interval": "30s"}


def current_index(client, alias):
    """The concrete index the alias points to, or None (GET /<alias>/_alias stays inside <alias>*)."""
    try:
        found = client.indices.get_alias(index=alias)
    except es_client.NotFoundError:
        return None
    return next((index for index, spec in found.items() if alias in spec.get("aliases", {})), None)


def wants_vectors(config):
    """Whether the index should hold the answers' meaning: a domain does; a Serverless search collection cannot."""
    return config["SEARCH_SERVICE"] != "aoss"


def ensure_index(client, alias, field_kinds, vectors=False):
    """Create <alias>-v1 behind the alias unless the alias exists; returns the index name.

    The alias is added only once the create call has returned (its primary shard started): an
    alias made with the index points searches at a shard still starting, and they fail with 503
    ("all shards failed"). PUT <index>/_alias/<alias> stays inside the role's <alias>* resource.
    """
    existing = current_index(client, alias)
    if existing:
        return existing
    index = f"{alias}-v1"
    try:
        client.indices.create(index=index, body=index_body(field_kinds, vectors))
    except es_client.RequestError as exc:
        if "resource_already_exists_exception" not in str(exc.error):
            raise
    client.indices.put_alias(index=index, name=alias)
    return index


def prepare_index(client, alias, field_kinds, vectors=False):
    """(index name, added, conflicting): make the index, or add new answer fields to an existing one."""
    existing = current_index(client, alias)
    if not existing:  # a new index gets the whole mapping at once
        return ensure_index(client, alias, field_kinds, vectors), [], []
    return (existing, *add_answer_fields(client, alias, field_kinds, vectors))


def add_answer_fields(client, alias, field_kinds, vectors=False):
    """Put-mapping the fields the index lacks (new questions' answers.<id> and their language copies, fields
    the document gained since); returns (added, conflicting): answer ids and top-level names.

    A field whose kind changed cannot be changed in place, nor can the analysis of words: those need
    `reindex`.
    """
    if outdated := outdated_analysis(client, alias):
        return [], [f"every text field (words are analysed by {', '.join(outdated)} now)"]
    found = client.indices.get_mapping(index=alias)
    have = next(iter(found.values()))["mappings"]["properties"]
    want = index_body(field_kinds, vectors and holds_vectors(client, alias))["mappings"]["properties"]
    missing = _missing(have, want)
    conflicting = sorted(name.removeprefix("answers.") for name in _conflicts(have, want))
    if missing:
        client.indices.put_mapping(index=alias, body={"properties": missing})
    added = sorted(missing.get("answers", {}).get("properties", {})) + sorted(
        name for name in missing if name != "answers" and name not in have)
    return added, conflicting


def outdated_analysis(client, alias):
    """The analyzers the mapping uses that the index does not define (it was made by an earlier release)."""
    found = client.indices.get_settings(index=alias, name="index.analysis.analyzer.*")
    have = next(iter(found.values()), {}).get("settings", {}).get("index", {}).get("analysis", {}).get("analyzer", {})
    return sorted(set(index_body({})["settings"]["analysis"]["analyzer"]) - set(have))


def _missing(have, want):
    """The part of the wanted properties the existing ones lack (objects compared property by property)."""
    missing = {}
    for name, spec in want.items():
        if name not in have:
            missing[name] = spec
        elif "properties" in spec and (inner := _missing(have[name].get("properties", {}), spec["properties"])):
            missing[name] = {"properties": inner}
    return missing


def _conflicts(have, want, prefix=""):
    """Dotted names of existing fields that differ from the wanted ones in kind or analyzer, or lack a sub-field."""
    found = []
    for name, spec in want.items():
        if (mine := have.get(name)) is None or spec.get("type") in (None, "object") and "properties" not in spec:
            continue
        if "properties" in spec:
            found += _conflicts(mine.get("properties", {}), spec["properties"], f"{prefix}{name}.")
        elif (mine.get("type"), mine.get("analyzer")) != (spec.get("type"), spec.get("analyzer")) or bool(
                set(spec.get("fields", {})) - set(mine.get("fields", {}))):
            found.append(prefix + name)
    return found


@contextlib.contextmanager
def backfilling(client, alias):
    """Load the index with fewer refreshes while the block runs, then serve as it did before."""
    index = current_index(client, alias)
    before = client.indices.get_settings(index=index, name=list(BACKFILL)).get(index, {}) if index else {}
    if index:
        client.indices.put_settings(index=index, body=BACKFILL)
    try:
        yield
    finally:
        if index:
            was = before.get("settings", {}).get("index", {}).get("refresh_interval")
            client.indices.put_settings(index=index, body={"index.refresh_interval": was})
