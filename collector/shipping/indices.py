"""The index behind the alias: made on first use (<alias>-v1), and given new questions' fields in
place; a field whose kind changed needs `flask reindex` (reindexing.py)."""
import es_client
from models import answer_properties, index_body


def current_index(client, alias):
    """The concrete index the alias points to, or None (GET /<alias>/_alias stays inside <alias>*)."""
    try:
        found = client.indices.get_alias(index=alias)
    except es_client.NotFoundError:
        return None
    return next((index for index, spec in found.items() if alias in spec.get("aliases", {})), None)


def ensure_index(client, alias, field_kinds):
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
        client.indices.create(index=index, body=index_body(field_kinds))
    except es_client.RequestError as exc:
        if "resource_already_exists_exception" not in str(exc.error):
            raise
    client.indices.put_alias(index=index, name=alias)
    return index


def prepare_index(client, alias, field_kinds):
    """(index name, added, conflicting): make the index, or add new answer fields to an existing one."""
    existing = current_index(client, alias)
    if not existing:  # a new index gets the whole mapping at once
        return ensure_index(client, alias, field_kinds), [], []
    return (existing, *add_answer_fields(client, alias, field_kinds))


def add_answer_fields(client, alias, field_kinds):
    """Put-mapping the answers.<id> fields the index lacks; returns (added, conflicting) field ids.

    A field whose kind changed cannot be changed in place, nor can the analysis of words: those need `reindex`.
    """
    if outdated := _outdated_analysis(client, alias):
        return [], [f"every text field (words are analysed by {', '.join(outdated)} now)"]
    found = client.indices.get_mapping(index=alias)
    mapping = next(iter(found.values()))["mappings"]
    have = mapping["properties"].get("answers", {}).get("properties", {})
    want = answer_properties(field_kinds)
    added = {name: spec for name, spec in want.items() if name not in have}
    # Fields the document gained since the index was made (codes): new fields can be added in place.
    top = {name: spec for name, spec in index_body({})["mappings"]["properties"].items()
           if name not in mapping["properties"]}
    # A changed kind, or a text field lacking a sub-field (.plain, .pairs, a language's), needs reindex.
    fields = {**have, "essay": mapping["properties"].get("essay")}
    wanted = {**want, "essay": index_body({})["mappings"]["properties"]["essay"]}
    conflicting = sorted(name for name, spec in wanted.items() if _changed(fields.get(name), spec))
    if added or top:
        client.indices.put_mapping(index=alias, body={"properties": {**top, "answers": {"properties": added}}})
    return sorted(added) + sorted(top), conflicting


def _outdated_analysis(client, alias):
    """The analyzers the mapping uses that the index does not define (it was made by an earlier release)."""
    found = client.indices.get_settings(index=alias, name="index.analysis.analyzer.*")
    have = next(iter(found.values()), {}).get("settings", {}).get("index", {}).get("analysis", {}).get("analyzer", {})
    return sorted(set(index_body({})["settings"]["analysis"]["analyzer"]) - set(have))


def _changed(have, want):
    """True when an existing field mapping differs from the wanted one in kind or lacks a sub-field."""
    if have is None:
        return False
    return (have.get("type"), have.get("analyzer")) != (want.get("type"), want.get("analyzer")) or bool(
        set(want.get("fields", {})) - set(have.get("fields", {})))
