"""What holds for the whole fleet in search mode: erasures, caps, and a domain outage, shown with
two instances (two data dirs) on one real OpenSearch node."""
import pytest

from collector import coding, create_app, journal, workspace
from collector.coding import batches, saved, stores
from collector.journal import audit
from models import receipt_for
from tests.helpers import SURVEYS_YAML, drain, log_in, settle, store, write_surveys

EMAIL = "leaves@example.org"


@pytest.fixture
def second(search_config, tmp_path, clock):
    """Instance B: the same settings, its own disk (and a clock that skips the CLI's wait to look again)."""
    return create_app(dict(search_config, DATA_DIR=str(tmp_path / "b")))


@pytest.mark.parametrize("by", ["email", "receipt"])
def test_an_answer_erased_on_one_instance_while_pending_on_another_never_reaches_the_index(
        search_app, second, domain, by):
    held = store(second, "still waiting on instance B", email=EMAIL, state="pending")
    kept = store(second, "another respondent's answer", email="stays@example.org", state="pending")
    option = ["--email", EMAIL] if by == "email" else ["--receipt", receipt_for(held)]
    result = search_app.test_cli_runner().invoke(args=["erase", *option, "--yes"])
    assert result.exit_code == 0, result.output
    assert drain(second).shipped == 1
    assert set(domain.docs()) == {kept}
    with second.app_context():
        assert journal.fetch(held) is None  # B deleted its own copy too


def test_an_answer_given_after_an_erasure_by_email_is_kept(search_app, second, domain):
    assert search_app.test_cli_runner().invoke(args=["erase", "--email", EMAIL, "--yes"]).exit_code == 0
    later = store(second, "written after the erasure", email=EMAIL, state="pending")
    drain(second)
    assert set(domain.docs()) == {later}


def test_a_cap_counts_the_answers_every_instance_took(search_config, tmp_path, domain):
    capped = SURVEYS_YAML.replace("  - slug: exit\n", "  - slug: exit\n    max_responses: 5\n")
    config = dict(search_config, SURVEYS_FILE=write_surveys(tmp_path, capped), CAP_CHECK_SECONDS=0)
    a, b = create_app(config), create_app(dict(config, DATA_DIR=str(tmp_path / "b")))
    on_a, on_b = a.test_client(), b.test_client()
    assert [on_a.post("/s/exit", data={"reason": f"a {n}"}).status_code for n in range(3)] == [303] * 3
    drain(a)  # A's answers are in the index now; B has none of its own
    codes = [on_b.post("/s/exit", data={"reason": f"b {n}"}).status_code for n in range(4)]
    assert codes == [303, 303, 410, 410]
    assert on_b.get("/s/exit").status_code == 410


def test_with_the_domain_down_analyst_pages_say_so_and_respondents_do_not_notice(search_app, domain):
    analyst = search_app.test_client()
    log_in(analyst)
    domain.switches.mode = "down"
    page = search_app.test_client()
    page.set_cookie("session", analyst.get_cookie("session").value)
    response = page.get("/analyst/audit")
    assert response.status_code == 503 and "search" in response.get_data(as_text=True).lower()
    assert page.get("/analyst/api/audit").status_code == 503
    respondent = search_app.test_client()
    assert respondent.post("/", data={"essay": "Written while the domain was down.",
                                      "email": "r@example.org"}).status_code == 303


def test_workspace_migrate_moves_an_instances_erasures_and_audit_log_and_can_run_again(search_app, second, domain):
    erased = store(search_app, "erased before the fleet had a workspace", email=EMAIL, state="shipped")
    with search_app.app_context():
        journal.delete([erased])  # as an older release erased it: a tombstone in this journal only
        audit.log_action(journal.get_db(), "ada", "export.csv", 3, "q")
    runner = search_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["workspace", "migrate"])
        assert result.exit_code == 0 and "Erasures: 1 recorded" in result.output, result.output
    assert "Audit entries: 0 sent" in result.output  # the first run sent it; the second finds nothing new
    with second.app_context():  # B would now refuse to ship a copy of the erased answer
        assert workspace.current().erased_among([{"id": erased, "email": "", "submitted_at": "2026-01-01T00:00:00"}])
    settle(second)  # searchable now, as after the refresh interval
    on_b = second.test_client()
    log_in(on_b)
    assert [e["action"] for e in on_b.get("/analyst/api/audit").json["entries"]] == ["export.csv"]


def test_workspace_migrate_in_embedded_mode_says_there_is_nothing_to_move(runner):
    result = runner.invoke(args=["workspace", "migrate"])
    assert result.exit_code == 1 and "nothing to move" in result.output


def legacy_coding(app, answers):
    """Coding as a release before the fleet's workspace kept it: in this instance's journal only.
    answers: {answer id: [code names]}, with '-' before a name the analyst gave and took off again."""
    with app.app_context():
        db = journal.get_db()
        for name in sorted({name.lstrip("-") for names in answers.values() for name in names}):
            if not coding.find_code(db, name):
                coding.create_code(db, name, f"about {name}", "ada")
        for answer_id, names in answers.items():
            coding.change_codes(db, answer_id, [name.lstrip("-") for name in names], [], "ada")
            coding.change_codes(db, answer_id, [], [name[1:] for name in names if name.startswith("-")], "ada")


def test_workspace_migrate_merges_every_instances_codebook_codings_batches_and_saved_searches(
        search_app, second, domain):
    x, y, z = (store(search_app, f"night shift {n}", state="shipped") for n in range(3))
    w = store(second, "night shift on B", state="shipped")
    legacy_coding(search_app, {x: ["Nights"], y: ["-Nights"]})
    legacy_coding(second, {w: ["nights", "Other"]})  # B's analysts named it alike, in their own case
    with search_app.app_context():
        db = journal.get_db()
        rota = coding.create_code(db, "Rota", "", "ada")
        batches.apply(db, rota, [x, z], "ada", [["q", "night"]])
        saved.save(db, "nights", [["q", "night"]], "Nights", "ada")
    migrate = [(app, app.test_cli_runner().invoke(args=["workspace", "migrate"])) for app in (search_app, search_app,
                                                                                            second)]
    assert all(result.exit_code == 0 and "Coding, merged by name" in result.output for _, result in migrate)
    with second.app_context():
        store_b = stores.current()
        assert {c["name"]: c["answers"] for c in store_b.codebook()} == {"Nights": 2, "Other": 1, "Rota": 2}
        assert store_b.codes_for([x, y, z, w]) == {x: ["Nights", "Rota"], z: ["Rota"], w: ["Nights", "Other"]}
        assert list(store_b.answers_with("removed", store_b.find_code("Nights")["id"])) == [y]  # stays off
        (batch,) = store_b.latest_batches()
        assert batch["applied"] == 2 and store_b.undo(batch["id"], "ada") == 2
        assert [(s["name"], s["code"]) for s in store_b.listing()] == [("nights", "Nights")]
    # once more, after
    assert search_app.test_cli_runner().invoke(args=["workspace", "migrate"]).exit_code == 0
    with second.app_context():
        assert stores.current().codes_for([x, z]) == {x: ["Nights"]}  # the undo holds: Rota stays off
        assert len(stores.current().latest_batches()) == 1
