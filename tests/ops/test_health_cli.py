"""GET /healthz and the hash-password command."""
from werkzeug.security import check_password_hash

from tests.helpers import submit


def test_healthz_reports_embedded_mode(client):
    submit(client)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "journal_backlog": 0, "dead_letters": 0, "search": "embedded"}


def test_healthz_is_503_when_the_journal_cannot_be_written(app, client, tmp_path):
    app.config["JOURNAL_PATH"] = str(tmp_path / "gone" / "journal.sqlite3")  # disk lost
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_hash_password_reads_stdin(runner):
    result = runner.invoke(args=["hash-password"], input="s3cret pass\n")
    assert result.exit_code == 0
    assert check_password_hash(result.output.strip(), "s3cret pass")


def test_hash_password_refuses_an_empty_password(runner):
    result = runner.invoke(args=["hash-password"], input="\n")
    assert result.exit_code != 0 and "empty" in result.output
