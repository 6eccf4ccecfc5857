"""The submit path: group commit, the write lock, and full-text indexing done later in batches."""
import sqlite3
import threading

from collector import journal
from collector.journal import writes
from tests.helpers import store, submit, wait_until


def queued(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    try:
        return db.execute("SELECT count(*) FROM fts_queue").fetchone()[0]
    finally:
        db.close()


def indexed(app, word):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    try:
        return db.execute("SELECT count(*) FROM essays WHERE essays MATCH ?", (word,)).fetchone()[0]
    finally:
        db.close()


def test_an_answer_is_searchable_at_once_though_the_submit_only_queued_it(app, analyst, client):
    assert submit(client, essay="The quokka rota was fair.").status_code == 303
    assert queued(app) == 1 and indexed(app, "quokka") == 0  # the submit did not index it
    assert analyst.get("/analyst/api/search?q=quokka").json["total"] == 1  # the search did, first
    assert queued(app) == 0 and indexed(app, "quokka") == 1


def test_a_burst_of_answers_is_indexed_in_the_background_without_any_search(app, client):
    for n in range(5):
        assert submit(client, essay=f"Background answer number {n}.").status_code == 303
    assert wait_until(lambda: queued(app) == 0, timeout=10)
    assert indexed(app, "background") == 5


def test_search_mode_leaves_indexing_to_the_domain(search_app):
    store(search_app, "Indexed by the domain, not here.", state="pending")
    assert "fts_indexer" not in search_app.extensions
    assert queued(search_app) == 1 and indexed(search_app, "domain") == 0


def test_erasing_an_answer_before_it_was_indexed_leaves_the_index_sound(app, analyst):
    keep = store(app, "A kept answer about ferries.")
    store(app, "An erased answer about ferries.", email="gone@example.org")
    assert queued(app) == 2
    erased = analyst.post("/analyst/erase", data={"email": "gone@example.org", "confirm": "yes"}, follow_redirects=True)
    assert "Erased 1 answer" in erased.get_data(as_text=True)
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    db.execute("INSERT INTO essays (essays) VALUES ('integrity-check')")  # raises on a corrupt index
    assert [h["id"] for h in analyst.get("/analyst/api/search?q=ferries").json["hits"]] == [keep]


def held_then_released(app, calls):
    """Run each call in a thread while the journal's write lock is held, so the writer finds them all
    queued when it is released; returns [(result or exception)] and the batch size of each commit."""
    writer, results, commits = journal.WRITER.of(app), [None] * len(calls), []
    real_commit = writer._commit
    writer._commit = lambda batch: commits.append(len(batch)) or real_commit(batch)

    def run(i, call):
        try:
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at what each call got
            results[i] = error

    with writes.lock_for(app.config["JOURNAL_PATH"]).held():
        blocker = threading.Thread(target=writer.run, args=(lambda db: None,))
        blocker.start()  # the writer takes it and waits for the lock
        assert wait_until(lambda: writer.jobs.qsize() == 0 and writer.idle.locked(), timeout=5)
        threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        assert wait_until(lambda: writer.jobs.qsize() == len(calls), timeout=5)
    for thread in [blocker, *threads]:
        thread.join(10)
    return results, commits[1:]


def test_concurrent_submits_share_one_commit_and_every_one_is_stored(app):
    ids, commits = held_then_released(app, [lambda n=n: store(app, f"Concurrent answer {n}.") for n in range(8)])
    assert commits == [8]  # eight answers, one transaction, one fsync
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert {r[0] for r in db.execute("SELECT id FROM responses")} == set(ids)


def test_one_failing_write_in_a_shared_commit_fails_alone(app):
    writer = journal.WRITER.of(app)
    results, commits = held_then_released(app, [
        lambda: store(app, "A good answer."),
        lambda: writer.run(lambda db: db.execute("INSERT INTO no_such_table VALUES (1)"))])
    assert commits == [2] and isinstance(results[1], sqlite3.OperationalError)
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    assert [r[0] for r in db.execute("SELECT id FROM responses")] == [results[0]]
