"""The index behind the alias: made on first use (<alias>-v1), and given new questions' fields in
place; a field whose kind changed needs `flask reindex` (reindexing.py)."""
import logging

import es_client
from models import ANALYSED_LANGUAGES, answer_properties, index_body

log = logging.getLogger("shipper")


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

    A field whose kind changed cannot be changed in place: those need `reindex`.
    """
    found = client.indices.get_mapping(index=alias)
    mapping = next(iter(found.values()))["mappings"]
    have = mapping["properties"].get("answers", {}).get("properties", {})
    want = answer_properties(field_kinds)
    added = {name: spec for name, spec in want.items() if name not in have}
    # Fields the document gained since the index was made (codes): new fields can be added in place.
    top = {name: spec for name, spec in index_body({})["mappings"]["properties"].items()
           if name not in mapping["properties"]}
    # A changed kind, or a text field from before the .plain sub-field (prefix search), needs reindex.
    fields = {**have, "essay": mapping["properties"].get("essay")}
    wanted = {**want, "essay": index_body({})["mappings"]["properties"]["essay"]}
    # Language sub-fields use built-in analyzers: added in place, and the answers in those languages
    # already indexed are analysed again in the background (update by query), with no reindex.
    languages = {name: spec for name, spec in wanted.items() if _only_languages_missing(fields.get(name), spec)}
    conflicting = sorted(name for name, spec in wanted.items() if name not in languages
                         and _changed(fields.get(name), spec))
    if added or top or languages:
        client.indices.put_mapping(index=alias, body={"properties": {**top, **_nested(added | languages)}})
    if languages:
        _analyse_again(client, alias)
    return sorted(added) + sorted(top) + sorted(f"{name} (.{', .'.join(ANALYSED_LANGUAGES)})" for name in languages), \
        conflicting


def _analyse_again(client, alias):
    """Start re-indexing the German and French answers in place, so their new sub-fields hold them."""
    try:
        client.update_by_query(index=alias, body={"query": {"terms": {"answers.language": list(ANALYSED_LANGUAGES)}}},
                               conflicts="proceed", wait_for_completion=False)
    except es_client.TransportError as exc:  # Serverless has no update by query: reindex does it
        log.warning("German and French answers indexed before need `flask reindex`: %s", exc.__class__.__name__)


def _nested(specs):
    """{field: spec} of essay and answer ids as a put-mapping's properties: essay on top, the rest in answers."""
    return {**({"essay": specs["essay"]} if "essay" in specs else {}),
            "answers": {"properties": {name: spec for name, spec in specs.items() if name != "essay"}}}


def _only_languages_missing(have, want):
    """True when a text field lacks only its language sub-fields (.de, .fr)."""
    if not have:
        return False
    missing = set(want.get("fields", {})) - set(have.get("fields", {}))
    return (have.get("type"), have.get("analyzer")) == (want.get("type"), want.get("analyzer")) and bool(missing) \
        and missing <= set(ANALYSED_LANGUAGES)


def _changed(have, want):
    """True when an existing field mapping differs from the wanted one in kind or lacks a sub-field."""
    if have is None:
        return False
    return (have.get("type"), have.get("analyzer")) != (want.get("type"), want.get("analyzer")) or bool(
        set(want.get("fields", {})) - set(have.get("fields", {})))
