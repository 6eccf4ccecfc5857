"""Versioned changes to workspace records, on the real node: a writer that read an older version
never overwrites a newer one; it computes its change again on what the other writer left. And a request
asks the domain for a record once, until it writes one."""
import pytest

import es_client
from collector import workspace
from collector.workspace import versioned


@pytest.fixture
def records(search_app):
    """The search-mode app's workspace records (inside an app context)."""
    with search_app.app_context():
        yield workspace.current().records


def add(name):
    """A change adding a name to a record's list."""
    return lambda source: {"kind": "codebook", "data": {"names": sorted({*(source or {"data": {}})["data"].get(
        "names", []), name})}}


def test_a_change_that_loses_a_race_is_made_again_on_the_winners_record(records):
    calls = []

    def slow(source):  # another instance writes between this one's read and its write
        calls.append(source)
        if len(calls) == 1:
            versioned.change_one(records, "codebook", add("theirs"))
        return add("mine")(source)
    after, changed = versioned.change_one(records, "codebook", slow)
    assert changed and after["data"]["names"] == ["mine", "theirs"] and len(calls) == 2
    assert records.get("codebook")["data"]["names"] == ["mine", "theirs"]


def test_two_writers_creating_one_record_both_keep_their_change(records):
    def racing(source):
        if source is None and not records.get("codebook"):
            versioned.change_one(records, "codebook", add("first"))
        return add("second")(source)
    versioned.change_one(records, "codebook", racing)
    assert records.get("codebook")["data"]["names"] == ["first", "second"]


def test_a_change_that_changes_nothing_writes_nothing(records):
    versioned.change_one(records, "codebook", add("only"))
    before = records.versioned(["codebook"])["codebook"][1]
    assert versioned.change_one(records, "codebook", add("only"))[1] is False
    assert records.versioned(["codebook"])["codebook"][1] == before


def test_a_record_that_never_stops_changing_is_a_clear_refusal_not_a_loop(records, monkeypatch):
    monkeypatch.setattr(versioned, "ATTEMPTS", 3)
    counter = iter(range(100))

    def always_beaten(source):
        versioned.change_one(records, "other", lambda _: {"kind": "codebook", "data": {"n": next(counter)}})
        versioned.change_one(records, "codebook", lambda _: {"kind": "codebook", "data": {"n": next(counter)}})
        return {"kind": "codebook", "data": {"n": -1}}
    with pytest.raises(es_client.DomainUnavailable, match="changing too fast"):
        versioned.change_one(records, "codebook", always_beaten)


def reads_of(domain, record_id):
    """How many times the domain was asked for one workspace record by id."""
    return sum(1 for s in domain.seen if s.method == "GET" and s.path.endswith(f"-workspace/_doc/{record_id}"))


def current_records():
    """The current app's workspace records (in a request, or an app context)."""
    return workspace.current().records


def test_a_request_asks_the_domain_for_a_record_once_and_again_after_writing_one(search_app, domain):
    with search_app.test_request_context():
        versioned.change_one(current_records(), "codebook", add("first"))
        before = reads_of(domain, "codebook")
        seen = [current_records().get("codebook") for _ in range(5)]
        seen[0]["data"]["names"].append("changed by a reader")  # a reader's change stays its own
        assert reads_of(domain, "codebook") - before == 1
        assert current_records().get("codebook")["data"]["names"] == ["first"]
        versioned.change_one(current_records(), "codebook", add("second"))
        assert current_records().get("codebook")["data"]["names"] == ["first", "second"]
    with search_app.app_context():  # outside a request (the shipper's thread), every read is the domain's
        before = reads_of(domain, "codebook")
        current_records().get("codebook")
        current_records().get("codebook")
        assert reads_of(domain, "codebook") - before == 2
