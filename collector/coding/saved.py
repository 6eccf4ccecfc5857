"""Saved searches: a name for a search's parameters, and optionally a code for new matching answers.

Automatic coding looks at each answer once: a saved search remembers the journal position
(seq) it has checked up to, and answers that arrive later are matched against it in one
query, in the same engine-neutral terms as the embedded search (Selection).
"""
import json
import logging
from urllib.parse import urlencode

from flask import current_app
from werkzeug.datastructures import MultiDict

from collector import coding
from collector.coding.redaction import redacted
from collector.common import clock
from collector.common.error_pages import UserError
from collector.journal import audit, fts
from collector.journal.writes import transaction, write
from collector.search import params as search_params
from collector.search.query import FILTERS, QueryError
from collector.search.selection import Selection

log = logging.getLogger("coding")
NAME_MAX = 80


def params_of(args):
    """The search parameters worth keeping from request arguments: [(name, value)], page left out."""
    pairs = args.items(multi=True) if hasattr(args, "getlist") else args.items()
    return [(k, str(v)) for k, v in pairs if (k in FILTERS or k.startswith("f.") or k == "sort") and str(v).strip()]


def params_dict(row):
    """A saved search's parameters as {name: value or [values]}."""
    found = {}
    for key, value in json.loads(row["params"]):
        found.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in found.items()}


def pairs(row):
    """A saved search's parameters as [(name, value)], in the order saved."""
    return [tuple(pair) for pair in json.loads(row["params"])]


NAMES = {"q": "words", "from": "from", "to": "to", "spam": "spam", "email": "email", "survey": "survey",
         "in": "words in", "sort": "order"}


def described(row):
    """A saved search's parameters as a person reads them: ['words: night', 'with the code Rota']."""
    said = []
    for key, value in pairs(row):
        if key == "code":
            said.append(f"without the code {value[1:]}" if value.startswith("-") else f"with the code {value}")
        else:
            said.append(f"{key[2:]} = {value}" if key.startswith("f.") else f"{NAMES.get(key, key)}: {value}")
    return said


def link(row):
    """The search page URL's query string for a saved search."""
    return urlencode(pairs(row))


def query_of(db, pairs, per_page=20):
    """The Query a saved search's parameters make today (QueryError if the definitions changed)."""
    return search_params.query_of(MultiDict(pairs), per_page)


def checked_name(name, params):
    """A saved search's name, tidied, once it and its parameters are fit to save (else UserError 400)."""
    name = " ".join(str(name or "").split())
    if not 1 <= len(name) <= NAME_MAX:
        raise UserError(f"A saved search needs a name of 1 to {NAME_MAX} characters.")
    try:
        query_of(None, params)
    except QueryError as exc:
        raise UserError(str(exc)) from None
    return name


def save(db, name, params, code_name, actor):
    """Save a search under a name; with a code, answers arriving from now on that match get it."""
    name = checked_name(name, params)
    code = coding.code_named(db, code_name) if code_name else None
    with transaction(db):
        if db.execute("SELECT 1 FROM saved_searches WHERE name = ?", (name,)).fetchone():
            raise UserError(f"A saved search called '{name}' exists already.", 409)
        latest = db.execute("SELECT coalesce(max(seq), 0) FROM responses").fetchone()[0]
        saved = db.execute(
            "INSERT INTO saved_searches (name, params, code_id, coded_through, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
            (name, json.dumps(params), code and code["id"], latest, actor, clock.stamp())).fetchone()
        audit.log_action(db, actor, "saved.create", 0, f"saved:{name}")
    return saved


def listing(db):
    """Every saved search with the name of its code (or None), by name."""
    return db.execute("SELECT s.*, k.name AS code FROM saved_searches s LEFT JOIN codes k ON k.id = s.code_id "
                      "ORDER BY s.name").fetchall()


def find(db, saved_id):
    """One saved search, or UserError 404."""
    saved = db.execute("SELECT s.*, k.name AS code FROM saved_searches s LEFT JOIN codes k ON k.id = s.code_id "
                       "WHERE s.id = ?", (saved_id,)).fetchone()
    if saved is None:
        raise UserError("There is no such saved search.", 404)
    return saved


def delete(db, saved_id, actor):
    """Forget a saved search (codes it gave stay on their answers)."""
    saved = find(db, saved_id)
    with transaction(db):
        db.execute("DELETE FROM saved_searches WHERE id = ?", (saved_id,))
        audit.log_action(db, actor, "saved.delete", 0, f"saved:{saved['name']}")


AUTO_INDEX_BATCH = 2000
AUTO = ("INSERT INTO codings (response_id, code_id, by, at, auto, seq) SELECT r.id, ?, ?, ?, 1, r.seq FROM {source}{where} "
        "ON CONFLICT (response_id, code_id) DO NOTHING")  # a code an analyst took off stays off


def catch_up(db):
    """Give new answers the codes of the saved searches they match; returns how many codings were made."""
    made, coding_searches = 0, db.execute("SELECT * FROM saved_searches WHERE code_id IS NOT NULL "
                                          "AND disabled IS NULL").fetchall()
    if coding_searches:  # the journal indexes answers for these a batch at a time, off the submit path
        fts.catch_up(db, current_app.config["JOURNAL_PATH"], limit=AUTO_INDEX_BATCH)
    for saved in coding_searches:
        latest = fts.indexed_through(db)
        if saved["coded_through"] < latest:
            made += _isolated(db, saved, latest)
    return made


def _isolated(db, saved, latest):
    """Auto-code by one saved search; if it fails, it alone stops, with the reason kept for its page."""
    try:
        return _code_new_answers(db, saved, latest)
    except Exception as exc:  # a saved search from before today's checks, or one the data made impossible
        reason = f"{exc.__class__.__name__}: {exc}"[:300]
        write(db, "UPDATE saved_searches SET disabled = ? WHERE id = ?", (reason, saved["id"]))
        log.warning("saved search disabled", extra={"event": "autocode", "saved": saved["id"], "error": reason})
        return 0


def _code_new_answers(db, saved, latest):
    try:
        query = query_of(db, json.loads(saved["params"]))
    except QueryError as exc:  # the surveys or the codebook changed under it: stop it, saying why
        raise ValueError(f"it no longer makes a valid search: {exc}") from None
    source, clause, params = Selection.of(query).sql()
    where = f"{clause}{' AND' if clause else ' WHERE'} r.seq > ? AND r.seq <= ?"
    with transaction(db):
        moved = db.execute("UPDATE saved_searches SET coded_through = ? WHERE id = ? AND coded_through = ?",
                           (latest, saved["id"], saved["coded_through"])).rowcount
        if not moved:  # another worker got there first
            return 0
        before = db.total_changes
        db.execute(AUTO.format(source=source, where=where), [saved["code_id"], f"saved search: {saved['name']}",
                                                               clock.stamp(), *params, saved["coded_through"], latest])
        made = db.total_changes - before
        coding.queue_auto_coded(db, saved["code_id"], saved["coded_through"], latest)
        if made:
            audit.log_action(db, saved["created_by"], "code.auto", made, f"saved:{saved['name']}")
    return made


def redact_email(db, email):
    """After an erasure by email: no saved search keeps the address (its auto-coding stops, saying so)."""
    with transaction(db):
        for saved_id, params in db.execute("SELECT id, params FROM saved_searches").fetchall():
            if (changed := redacted(params, email)) is not None:
                db.execute("UPDATE saved_searches SET params = ?, disabled = ? WHERE id = ?",
                           (changed, "its email filter named an address that was erased", saved_id))
