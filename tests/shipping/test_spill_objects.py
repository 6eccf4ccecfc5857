"""Issue 30 #3 and #4: whatever lies under the spill prefix, every object either drains or moves to
dead/ with a reason, the rest drain, and an object never overwrites or settles an answer it is not."""
import json
import uuid

import pytest

from collector import create_app, journal
from collector.shipping import spilling
from collector.shipping.spill import email_digest
from tests.helpers import drain, store

EMAIL = "someone@example.org"


def drain_store(app):
    """Everything the spill store holds, drained by this app (as the CLI would)."""
    return spilling.SPILLING.of(app).drainer.drain_all(journal.connect(app.config["JOURNAL_PATH"]))


def spilled_answer(config, essay):
    """A whole answer as a spilled object holds it: the journal row of an instance that is gone."""
    gone = create_app(dict(config, DATA_DIR=f"{config['DATA_DIR']}-{uuid.uuid4().hex[:6]}"))
    doc_id = store(gone, essay, email=EMAIL, state="pending")
    return dict(journal.connect(gone.config["JOURNAL_PATH"]).execute(
        "SELECT id, essay, email, client_ip, submitted_at, is_spam, spam_score, tags, user_agent, survey, "
        "survey_version, answers FROM responses WHERE id = ?", (doc_id,)).fetchone())


def put(s3, bucket, key, body):
    s3.client().put_object(Bucket=bucket, Key=key, Body=body)


BAD = [(b"{not json", "not JSON"), (b"\xff\xfe", "not JSON"), (b"[1, 2]", "not an answer object"),
       (b"null", "not an answer object"), (json.dumps({"id": "x", "email": EMAIL}).encode(), "missing essay"),
       (b" " * (1024 * 1024 + 1), "no answer is that large")]


def test_objects_that_are_not_answers_move_to_dead_with_their_reason_and_the_rest_drain(
        spill_config, domain, loopback_s3, spill_bucket):
    app = create_app(spill_config)
    good = [spilled_answer(spill_config, f"a good answer {n}") for n in range(2)]
    for row in good:
        put(loopback_s3, spill_bucket, f"spill/pending/{email_digest(EMAIL)}/{row['id']}.json", json.dumps(row))
    bad_keys = [f"spill/pending/{email_digest(EMAIL)}/{uuid.uuid4()}.json" for _ in BAD]
    for key, (body, _) in zip(bad_keys, BAD):
        put(loopback_s3, spill_bucket, key, body)
    outcome = drain_store(app)
    assert (outcome.shipped, outcome.dead) == (2, len(BAD))
    assert set(domain.docs()) == {row["id"] for row in good}
    assert loopback_s3.keys(spill_bucket, "spill/pending/") == []
    for key, (_, reason) in zip(bad_keys, BAD):
        dead = loopback_s3.client().head_object(Bucket=spill_bucket, Key=key.replace("/pending/", "/dead/"))
        assert reason in dead["Metadata"]["dead-reason"], (reason, dead["Metadata"])


def test_an_object_naming_an_indexed_answer_never_overwrites_it(spill_config, domain, loopback_s3, spill_bucket):
    app = create_app(spill_config)
    alice = store(app, "Alice's own words", email="alice@example.org", state="pending")
    drain(app)
    forged = {**spilled_answer(spill_config, "words put in Alice's mouth"), "id": alice}
    put(loopback_s3, spill_bucket, f"spill/pending/{email_digest(EMAIL)}/{alice}.json", json.dumps(forged))
    drain_store(create_app(dict(spill_config, DATA_DIR=spill_config["DATA_DIR"] + "-b")))
    assert domain.docs()[alice]["essay"] == "Alice's own words"
    assert domain.docs()[alice]["email"] == "alice@example.org"


@pytest.mark.parametrize("where", ["another folder", "another id"])
def test_an_object_stored_under_a_key_that_is_not_its_own_moves_to_dead(spill_config, domain, loopback_s3,
                                                                        spill_bucket, where):
    app = create_app(spill_config)
    row = spilled_answer(spill_config, "an answer under the wrong key")
    folder, name = (email_digest("other@example.org"), row["id"]) if where == "another folder" else \
        (email_digest(EMAIL), uuid.uuid4())
    put(loopback_s3, spill_bucket, f"spill/pending/{folder}/{name}.json", json.dumps(row))
    assert drain_store(app).dead == 1 and domain.docs_or_empty() == {}


def test_an_object_differing_from_the_answer_this_instance_holds_is_refused_and_the_answer_stays_pending(
        spill_config, domain, loopback_s3, spill_bucket):
    app = create_app(spill_config)
    mine = store(app, "the answer as its author wrote it", email=EMAIL, state="pending")
    forged = {**spilled_answer(spill_config, "an impostor"), "id": mine}
    put(loopback_s3, spill_bucket, f"spill/pending/{email_digest(EMAIL)}/{mine}.json", json.dumps(forged))
    assert drain_store(app).dead == 1
    with app.app_context():
        assert journal.fetch(mine) is not None and journal.counts()["pending"] == 1
    drain(app)
    assert domain.docs()[mine]["essay"] == "the answer as its author wrote it"
