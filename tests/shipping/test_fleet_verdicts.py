"""The machinery never undoes a person: a spam verdict made on instance B survives whatever instance A
sends of the same answer afterwards (ship --all, an edit shipped from A), on the real node."""
import pytest

import es_client
from collector import create_app, surveys
from models import index_body
from tests.helpers import drain, hits, log_in, write_surveys
from tests.respondent.test_edits import SURVEYS, change, send

DOC_ID = "0f0e0d0c-0b0a-4909-8807-060504030201"
OLD_ANSWER = {"essay": "Buy cheap watches", "is_spam": False, "submitted_at": "2026-01-02T03:04:05+00:00",
              "survey": "survey", "email": "x@example.org"}  # as an instance of an older release shipped it


def resend_everything(a, client, receipt):
    assert a.test_cli_runner().invoke(args=["ship", "--all"]).exit_code == 0


def change_the_answer_on_a(a, client, receipt):
    send(client, change(client, receipt), feeling="Spam spam spam, changed")


@pytest.mark.parametrize("after", [resend_everything, change_the_answer_on_a])
def test_a_spam_verdict_made_on_b_survives_what_a_ships_afterwards(search_config, tmp_path, after):
    config = dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS))
    a, b = create_app(config), create_app(dict(config, DATA_DIR=str(tmp_path / "b")))
    on_a = a.test_client()
    receipt = send(on_a, "/s/mood", feeling="Spam spam spam")
    drain(a)
    [hit] = hits(b, q="spam")
    analyst = b.test_client()
    log_in(analyst)
    assert analyst.post(f"/analyst/responses/{hit['id']}/spam", data={"verdict": "spam"}).status_code == 303
    after(a, on_a, receipt)
    drain(a)
    [hit] = hits(b, q="spam")
    assert hit["is_spam"] is True


def test_a_verdict_on_an_index_made_before_verdicts_were_dated_adds_the_field_in_place(search_app, domain):
    body = index_body(surveys.SURVEYS.of(search_app).field_kinds())
    del body["mappings"]["properties"]["spam_verdict_at"]
    client = es_client.get_client(search_app)
    client.indices.create(index=f"{domain.alias}-v1", body=body)
    client.indices.put_alias(index=f"{domain.alias}-v1", name=domain.alias)
    client.index(index=domain.alias, id=DOC_ID, body=OLD_ANSWER, refresh=True)
    analyst = search_app.test_client()  # an instance of this version that has shipped nothing yet
    log_in(analyst)
    assert analyst.post(f"/analyst/responses/{DOC_ID}/spam", data={"verdict": "spam"}).status_code == 303
    assert [hit["is_spam"] for hit in hits(search_app, q="watches")] == [True]
