"""Search mode: saved searches as one workspace record, and automatic coding as an idempotent sweep.

Any instance may sweep: for each saved search with a code, it asks the index for the answers
submitted since the search was saved that match it and lack the code, and gives them the code
unless an analyst took it off (their records say so). Giving a code twice changes nothing, so
there is no cursor to share and no instance whose answers are missed.
"""
import json
import logging
import uuid

from flask import current_app

import es_client
from collector.coding.fleet_codings import entry
from collector.coding.names import renamed_params
from collector.coding.redaction import redacted
from collector.coding.saved import checked_name, query_of
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.search.opensearch_bodies import uncoded_body
from collector.search.query import QueryError, fold
from collector.workspace.versioned import change_one

log = logging.getLogger("coding")
SAVED = "saved-searches"
SWEEP_SIZE = 500


def shelf_of(source):
    """The saved searches record (an empty one if there is none yet)."""
    return source or {"kind": "saved", "data": {"searches": {}}}


class FleetSaved:
    """Saved searches (mixed into FleetCoding, which provides records, codings and the codebook)."""

    def _searches(self):
        return shelf_of(self.records.get(SAVED))["data"]["searches"]

    def listing(self):
        """Every saved search with the name of its code (or None), by name."""
        names = self.code_names()
        rows = [{"id": key, **found, "code_id": found["code"], "code": names.get(found["code"])}
                for key, found in self._searches().items()]
        return sorted(rows, key=lambda row: row["name"])

    def find(self, saved_id):
        """One saved search, or UserError 404."""
        found = next((row for row in self.listing() if row["id"] == str(saved_id)), None)
        if found is None:
            raise UserError("There is no such saved search.", 404)
        return found

    def save(self, name, params, code_name, actor):
        """Save a search under a name; with a code, answers submitted from now on that match get it."""
        name = checked_name(name, params)
        code = self.code_named(code_name) if code_name else None
        key = uuid.uuid4().hex
        row = {"name": name, "params": json.dumps(params), "code": code and code["id"], "created_by": actor,
               "created_at": clock.stamp(), "disabled": None, "since": clock.utc().isoformat()}

        def add(source):
            shelf = shelf_of(source)
            if any(fold(other["name"]) == fold(name) for other in shelf["data"]["searches"].values()):
                raise UserError(f"A saved search called '{name}' exists already.", 409)
            shelf["data"]["searches"][key] = row
            return shelf
        change_one(self.records, SAVED, add)
        audit.log_action(get_db(), actor, "saved.create", 0, f"saved:{name}")
        return self.find(key)

    def delete(self, saved_id, actor):
        """Forget a saved search (codes it gave stay on their answers)."""
        saved = self.find(saved_id)
        self._change_searches(lambda key, row: None if key == saved["id"] else row)
        audit.log_action(get_db(), actor, "saved.delete", 0, f"saved:{saved['name']}")

    def _change_searches(self, change):
        """Replace every saved search by change(id, row) (None drops it), in one versioned write."""
        def apply(source):
            shelf = shelf_of(source)
            searches = {key: change(key, dict(row)) for key, row in shelf["data"]["searches"].items()}
            shelf["data"]["searches"] = {key: row for key, row in searches.items() if row is not None}
            return shelf
        change_one(self.records, SAVED, apply)

    def rename_in_saved_searches(self, old, new):
        """Saved searches that filter by the code (code=old, code=-old) follow its new name."""
        self._change_searches(lambda key, row: dict(row, params=renamed_params(row["params"], old, new)))

    def stop_auto_coding_with(self, code_id):
        """A deleted code: the saved searches that gave it stay, without a code."""
        self._change_searches(lambda key, row: dict(row, code=None) if row["code"] == code_id else row)

    def redact_saved(self, email):
        """After an erasure by email: no saved search keeps the address (its auto-coding stops, saying so)."""
        def redact(key, row):
            if (changed := redacted(row["params"], email)) is None:
                return row
            return dict(row, params=changed, disabled="its email filter named an address that was erased")
        self._change_searches(redact)

    def catch_up(self, db=None):
        """Give answers in the index the codes of the saved searches they match; how many codings were made."""
        made = 0
        for saved in self.listing():
            if saved["code"] and not saved["disabled"]:
                made += self._isolated(saved)
        return made

    def _isolated(self, saved):
        try:
            return self._sweep(saved)
        except es_client.DomainUnavailable:
            raise  # the domain is down: every saved search waits, none is to blame
        except Exception as exc:  # one saved search failing must not stop the others
            reason = f"{exc.__class__.__name__}: {exc}"[:300]
            self._change_searches(lambda key, row: dict(row, disabled=reason) if key == saved["id"] else row)
            log.warning("saved search disabled", extra={"event": "autocode", "saved": saved["id"], "error": reason})
            return 0

    def _sweep(self, saved):
        try:
            query = query_of(None, json.loads(saved["params"]))
        except QueryError as exc:  # the surveys or the codebook changed under it: stop it, saying why
            raise ValueError(f"it no longer makes a valid search: {exc}") from None
        skip = list(self.answers_with("removed", saved["code_id"]))
        body = uncoded_body(query, saved["since"], saved["code"], skip, SWEEP_SIZE)
        raw = es_client.run_search(es_client.get_client(current_app), current_app.config["SEARCH_INDEX"], body)
        ids = [hit["_id"] for hit in raw["hits"]["hits"]] if raw else []

        def give(entries, removed, _answer):
            if saved["code_id"] in entries or saved["code_id"] in removed:
                return False
            entries[saved["code_id"]] = entry(f"saved search: {saved['name']}", auto=True)
            return True
        made = len(self.change_answers(ids, give)) if ids else 0
        if made:
            audit.log_action(get_db(), saved["created_by"], "code.auto", made, f"saved:{saved['name']}")
        return made

