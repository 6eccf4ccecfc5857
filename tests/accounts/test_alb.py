"""Issue 43 #3: sign-in at the load balancer. Only a token the configured ALB signed, with the key it
publishes for the token's kid, and not expired, names a person; anything else is 401."""
import pytest

from collector import create_app
from config import ConfigError
from tests.accounts.conftest import ARN, KID, alb_token, new_key, public_pem, pyjwt_token
from tests.helpers import store

HEADER = "x-amzn-oidc-data"
SEARCH = "/analyst/api/search"


@pytest.fixture
def sso_app(sso_config):
    """An app that trusts only the test ALB's tokens."""
    return create_app(sso_config)


def get(app, url, token=None, **headers):
    """GET url with the ALB's header (when a token is given)."""
    return app.test_client().get(url, headers={**({HEADER: token} if token else {}), **headers})


def test_a_valid_token_signs_the_person_in_with_the_role_their_group_maps_to(sso_app, key_server):
    response = get(sso_app, SEARCH, alb_token(key_server.key))
    assert response.status_code == 200
    page = get(sso_app, "/analyst/", alb_token(key_server.key)).get_data(as_text=True)
    assert "lea@example.org" in page and 'id="my-role">analyst<' in page


def test_an_ordinary_unpadded_jwt_from_the_same_alb_is_accepted_too(sso_app, key_server):
    claims = {"email": "lea@example.org", "groups": ["students"], "exp": 4102444800}
    assert get(sso_app, SEARCH, pyjwt_token(key_server.key, claims)).status_code == 200


@pytest.mark.parametrize("case", ["no token", "wrong signer", "wrong key", "expired", "unsigned", "unknown kid",
                                  "garbage", "no name", "a path for a kid", "not a key"])
def test_anything_but_a_valid_token_of_the_configured_alb_is_401(sso_app, key_server, case):
    key = key_server.key
    token = {
        "no token": None,
        "wrong signer": alb_token(key, signer=ARN.replace("survey", "other")),
        "wrong key": alb_token(new_key()),
        "expired": alb_token(key, expires_in=-5),
        "unsigned": alb_token(key, alg="none"),
        "unknown kid": alb_token(key, kid="0000-not-published"),
        "garbage": "not.a.token",
        "no name": alb_token(key, {"email": ""}),
        "a path for a kid": alb_token(key, kid="../../etc"),
        "not a key": alb_token(key, kid="served-but-no-pem"),
    }[case]
    key_server.keys["served-but-no-pem"] = b"<html>not a key</html>"
    for url in (SEARCH, "/analyst/", "/analyst/export.csv"):
        response = get(sso_app, url, token)
        assert response.status_code == 401, (case, url)
    assert "sign" in get(sso_app, "/analyst/", token).get_data(as_text=True)


def test_a_person_in_no_mapped_group_gets_a_clear_403(sso_app, key_server):
    response = get(sso_app, "/analyst/", alb_token(key_server.key, {"groups": ["visitors"]}))
    assert response.status_code == 403 and "no role on this site" in response.get_data(as_text=True)


@pytest.mark.parametrize("groups, role", [("students, guests", "coder"), (["guests"], "viewer"),
                                          ("[admins]", "admin"), (["research", "admins"], "admin")])
def test_the_highest_role_any_group_maps_to_is_held(sso_app, key_server, groups, role):
    page = get(sso_app, "/analyst/", alb_token(key_server.key, {"groups": groups})).get_data(as_text=True)
    assert f'id="my-role">{role}<' in page


def test_the_role_decides_as_it_does_with_passwords(sso_app, key_server):
    store(sso_app, "The rota changes too late", email="someone@example.org")
    viewer = alb_token(key_server.key, {"groups": ["guests"]})
    assert "someone@example.org" not in get(sso_app, "/analyst/api/search", viewer).get_data(as_text=True)
    refused = sso_app.test_client().post("/analyst/erase", headers={HEADER: viewer})
    assert refused.status_code == 403 and "needs the admin role" in refused.get_data(as_text=True)


def test_the_key_for_a_kid_is_fetched_once(sso_app, key_server):
    for _ in range(3):
        assert get(sso_app, SEARCH, alb_token(key_server.key)).status_code == 200
    assert key_server.asked == [KID]


def test_a_new_kid_is_fetched_when_the_alb_rotates_its_key(sso_app, key_server):
    rotated = new_key()
    key_server.keys["rotated-kid"] = public_pem(rotated)
    assert get(sso_app, SEARCH, alb_token(rotated, kid="rotated-kid")).status_code == 200
    assert get(sso_app, SEARCH, alb_token(key_server.key)).status_code == 200


def test_logging_out_ends_the_albs_session_and_sends_the_person_to_the_identity_providers_logout(sso_app, key_server):
    response = sso_app.test_client().post("/analyst/logout", headers={HEADER: alb_token(key_server.key)})
    assert response.status_code == 303 and response.location == "https://idp.example.org/logout?client_id=app"
    expired = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("AWSELBAuthSessionCookie-")]
    assert len(expired) == 4 and all("Expires=Thu, 01 Jan 1970" in value for value in expired)


def test_the_login_page_sends_people_to_the_dashboard_the_alb_guards(sso_app, key_server):
    response = get(sso_app, "/analyst/login")
    assert response.status_code == 302 and response.location.endswith("/analyst/")


def test_the_audit_log_names_the_person_and_the_role_their_groups_gave(sso_app, key_server):
    admin = alb_token(key_server.key, {"email": "boss@example.org", "groups": ["admins"]})
    sso_app.test_client().post("/analyst/api/codes", json={"name": "Rota"}, headers={HEADER: admin})
    entries = get(sso_app, "/analyst/api/audit?action=code.create", admin).json["entries"]
    assert [(entry["actor"], entry["role"]) for entry in entries] == [("boss@example.org", "admin")]


def test_an_admin_can_grant_a_role_to_someone_their_groups_give_none(sso_app, key_server):
    outsider = alb_token(key_server.key, {"email": "guest@example.org", "groups": []})
    assert get(sso_app, SEARCH, outsider).status_code == 403
    admin = alb_token(key_server.key, {"email": "boss@example.org", "groups": ["admins"]})
    team = sso_app.test_client().post("/analyst/api/team", json={"name": "guest@example.org", "role": "viewer"},
                                      headers={HEADER: admin}).json["people"]
    assert {"name": "guest@example.org", "configured": None, "granted": "viewer", "role": "viewer"} in team
    assert get(sso_app, SEARCH, outsider).status_code == 200


def test_people_who_signed_in_are_on_the_team_page(sso_app, key_server):
    get(sso_app, SEARCH, alb_token(key_server.key, {"email": "lea@example.org"}))
    admin = alb_token(key_server.key, {"email": "boss@example.org", "groups": ["admins"]})
    assert "lea@example.org" in get(sso_app, "/analyst/team", admin).get_data(as_text=True)


@pytest.mark.parametrize("settings, message", [({"ALB_ARN": None}, "needs ALB_ARN"),
                                               ({"AUTH": "ldap"}, "password or alb-oidc"),
                                               ({"SSO_ROLES": "staff=boss"}, "is not group=role")])
def test_sign_in_settings_that_cannot_work_refuse_to_start(sso_config, settings, message):
    with pytest.raises(ConfigError, match=message):
        create_app(dict(sso_config, **settings))
