"""A receipt page tells the truth: a code never issued, or an erased answer's, never reads "saved";
an answer just sent reads "saved" on any instance, even one that cannot see it yet."""
import pytest

from collector import create_app
from collector.analyst import erasure
from models import receipt_for
from tests.helpers import receipt_of, submit, write_surveys
from tests.respondent.test_edits import SURVEYS, change, send

SAVED = "your answer is saved"


def test_a_receipt_that_was_never_issued_is_not_found(engine_config):
    client = create_app(engine_config).test_client()
    page = client.get(f"/thanks/{receipt_for('00000000-0000-4000-8000-000000000000')}")
    assert page.status_code == 404
    assert "no answer with this receipt code" in page.get_data(as_text=True)
    assert SAVED not in page.get_data(as_text=True).lower()


def test_an_erased_answers_receipt_says_it_is_gone(engine_config):
    app = create_app(engine_config)
    client = app.test_client()
    receipt = receipt_of(submit(client, essay="Please forget me."))
    with app.test_request_context():
        erasure.erase(erasure.find(receipt=receipt), "ada", "receipt", receipt=receipt)
    page = client.get(f"/thanks/{receipt}")
    assert page.status_code == 410 and "was erased" in page.get_data(as_text=True)
    assert SAVED not in page.get_data(as_text=True).lower()


@pytest.mark.parametrize("same_browser", [True, False])
def test_an_answer_just_sent_reads_saved_on_another_instance_only_in_the_browser_that_sent_it(search_config,
                                                                                           tmp_path, same_browser):
    a, b = create_app(search_config), create_app(dict(search_config, DATA_DIR=str(tmp_path / "b")))
    on_a, on_b = a.test_client(), b.test_client()
    receipt = receipt_of(submit(on_a, essay="Not shipped yet."))  # still pending in A's journal
    if same_browser:  # the load balancer sends the same browser's next request to B
        on_b.set_cookie("session", on_a.get_cookie("session").value)
    page = on_b.get(f"/thanks/{receipt}")
    assert page.status_code == (200 if same_browser else 404)
    assert (SAVED in page.get_data(as_text=True).lower()) == same_browser


def test_your_change_is_saved_shows_once_right_after_the_change(engine_config, tmp_path):
    client = create_app(dict(engine_config, SURVEYS_FILE=write_surveys(tmp_path, SURVEYS))).test_client()
    receipt = send(client, "/s/mood", feeling="Grumpy")
    send(client, change(client, receipt), feeling="Cheerful")
    assert "Your change is saved" in client.get(f"/thanks/{receipt}").get_data(as_text=True)
    assert "Your change is saved" not in client.get(f"/thanks/{receipt}").get_data(as_text=True)
