"""The submit limit: one count for the instance, and only for posts that could be stored."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from collector import create_app, journal
from collector.common import ratelimits
from tests.helpers import submit
from tests.processes import gunicorn


@pytest.mark.slow
def test_the_submit_limit_holds_for_the_whole_instance_not_per_worker(tmp_path):
    server, url = gunicorn(tmp_path / "data", WEB_CONCURRENCY="2", SUBMIT_RATE_LIMIT="5/minute")
    try:
        browser = requests.Session()
        browser.headers["Connection"] = "close"  # a new connection each time: either worker may answer
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', browser.get(url + "/").text).group(1)
        codes = [browser.post(url + "/", data={"essay": f"answer {n}", "email": "a@example.org", "csrf_token": token},
                              allow_redirects=False).status_code for n in range(16)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert codes.count(303) == 5 and codes.count(429) == 11


def test_rejected_posts_do_not_use_up_the_submit_limit(app_config):
    client = create_app(dict(app_config, SUBMIT_RATE_LIMIT="3/minute")).test_client()
    for _ in range(5):
        assert submit(client, email="not an email").status_code == 400
    assert [submit(client, essay=f"answer {n}").status_code for n in range(4)] == [303, 303, 303, 429]


def test_simultaneous_posts_never_get_past_the_limit(app_config):
    """Issue 30 #16: the limit was checked before the post and counted after it, so 10/minute let
    14-17 of 40 simultaneous posts through. Now each post takes its place first, in one step."""
    app = create_app(dict(app_config, SUBMIT_RATE_LIMIT="10/minute"))
    start = threading.Barrier(40)

    def post(n):
        client = app.test_client()
        start.wait()
        return submit(client, essay=f"simultaneous answer {n}").status_code

    with ThreadPoolExecutor(40) as pool:
        codes = list(pool.map(post, range(40)))
    assert (codes.count(303), codes.count(429)) == (10, 30)
    assert journal.connect(app.config["JOURNAL_PATH"]).execute("SELECT count(*) FROM responses").fetchone()[0] == 10


def test_threads_opening_the_counters_file_at_once_never_fail(tmp_path):
    """Twelve threads making their first connection to a new counters file raced on setting WAL
    mode, and SQLite answered one of them 'database is locked' without waiting (a failed login)."""
    errors = []
    for trial in range(100):
        storage = ratelimits.SQLiteStorage(f"sqlite://{tmp_path}/counters-{trial}.sqlite3")
        start = threading.Barrier(12)

        def hit(storage=storage, start=start):
            start.wait()
            try:
                storage.incr("login", 60)
            except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
                errors.append(exc)
        threads = [threading.Thread(target=hit) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
