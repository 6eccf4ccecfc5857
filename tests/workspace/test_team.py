"""Issue 43: an admin's grant of a role holds on every instance within SESSION_CHECK_SECONDS; written once,
run against both stores (two instances, each with its own disk in search mode)."""
from tests.helpers import log_in, store

CODING = "/analyst/api/responses/{}/codes"


def signed_in(app, name):
    """A client of app signed in as name."""
    client = app.test_client()
    log_in(client, name)
    return client


def grant(admin, name, role, status=200):
    """The admin gives name the role through the API; the team it answers with."""
    response = admin.post("/analyst/api/team", json={"name": name, "role": role})
    assert response.status_code == status, response.get_data(as_text=True)
    return {person["name"]: person for person in response.json.get("people", [])}


def test_a_role_given_on_one_instance_holds_on_the_other_and_can_be_taken_back(instances, clock):
    a, b = instances
    doc_id = store(b, "The rota changes too late")
    vic_on_b = signed_in(b, "vic")
    assert vic_on_b.post(CODING.format(doc_id), json={"add": []}).status_code == 403
    team = grant(signed_in(a, "ada"), "vic", "coder")
    assert team["vic"] == {"name": "vic", "configured": "viewer", "granted": "coder", "role": "coder"}
    clock.advance(1)  # past SESSION_CHECK_SECONDS: instance b reads the team again
    assert vic_on_b.post(CODING.format(doc_id), json={"add": []}).status_code != 403
    grant(signed_in(a, "ada"), "vic", None)
    clock.advance(1)
    refused = vic_on_b.post(CODING.format(doc_id), json={"add": []})
    assert refused.status_code == 403 and "needs the coder role" in refused.json["error"]


def test_an_admin_cannot_change_their_own_role_and_nobody_else_may_give_roles(instances):
    a, _ = instances
    refused = grant(signed_in(a, "ada"), "ada", "viewer", status=409)
    assert refused == {}
    assert signed_in(a, "bea").post("/analyst/api/team", json={"name": "bea", "role": "admin"}).status_code == 403


def test_a_grant_is_in_the_audit_log_with_who_gave_it(instances):
    a, _ = instances
    admin = signed_in(a, "ada")
    grant(admin, "cody", "analyst")
    entries = admin.get("/analyst/api/audit?action=role.grant").json["entries"]
    assert [(entry["actor"], entry["role"], entry["scope"]) for entry in entries] == [
        ("ada", "admin", "person:cody->analyst")]


def test_the_team_page_lists_everyone_and_gives_a_role_through_its_form(instances):
    a, _ = instances
    admin = signed_in(a, "ada")
    given = admin.post("/analyst/team", data={"name": "new.person@example.org", "role": "coder"})
    assert given.status_code == 303
    page = admin.get("/analyst/team").get_data(as_text=True)
    assert "new.person@example.org" in page and "cody" in page
    refused = admin.post("/analyst/team", data={"name": "x", "role": "owner"})
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
