"""What a form body may hold: text only, valid UTF-8, within the size limit, however it is sent."""
import http.client
import sqlite3
from urllib.parse import urlsplit

import pytest

from tests.helpers import submit
from tests.serving import serving_app


@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", "\ufeff", " \u2060 \u00ad ", "\u3164", "\u200e\u200f"])
def test_an_answer_of_only_invisible_characters_is_refused(app_config, client, invisible):
    response = submit(client, essay=invisible)
    assert response.status_code == 400 and "Please write your answer." in response.get_data(as_text=True)


def multipart(*parts, boundary="XX"):
    """A multipart/form-data body from (name, bytes) parts; a third item makes it a file part."""
    chunks = []
    for name, value, *filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename[0]}"' if filename else "")
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("parts", [
    [("essay", b"an essay as a file", "essay.txt"), ("email", b"a@example.org")],
    [("essay", b"text"), ("email", b"a@example.org"), ("attachment", b"\x89PNG", "x.png")],
])
def test_a_file_in_a_form_is_a_readable_400_not_a_500(app, client, parts):
    body, content_type = multipart(*parts)
    response = client.post("/", data=body, content_type=content_type)
    assert response.status_code == 400 and "text only" in response.get_data(as_text=True)
    assert stored_essays(app) == []


@pytest.mark.parametrize("value", [b"bad \xff\xfe utf8", b"caf\xe9", b"\xc3"])
def test_invalid_utf8_inside_multipart_is_refused_not_replaced(app, client, value):
    body, content_type = multipart(("essay", value), ("email", b"a@example.org"))
    response = client.post("/", data=body, content_type=content_type)
    assert response.status_code == 400 and "not valid UTF-8" in response.get_data(as_text=True)
    assert stored_essays(app) == []


def test_valid_multipart_text_is_accepted_including_a_real_replacement_character(app, client):
    body, content_type = multipart(("essay", "naïve \ufffd kept".encode()), ("email", b"a@example.org"))
    assert client.post("/", data=body, content_type=content_type).status_code == 303
    assert stored_essays(app) == ["naïve \ufffd kept"]


@pytest.mark.parametrize("size, status", [(300_000, 413), (200_000, 303)])
def test_a_chunked_body_is_never_cut_over_the_limit_it_is_a_413(app, size, status):
    body = b"essay=" + b"long+answer+" * 500 + b"&email=a%40example.org&padding="
    body += b"p" * (size - len(body))  # a field the form ignores makes up the size
    with serving_app(app) as url:
        connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=10)
        chunks = (body[n:n + 8192] for n in range(0, len(body), 8192))  # no Content-Length: chunked
        connection.request("POST", "/", body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        page = response.read().decode()
    assert response.status == status
    if status == 413:
        assert "your text is still there" in page and stored_essays(app) == []


def stored_essays(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    return [row[0] for row in db.execute("SELECT essay FROM responses")]
