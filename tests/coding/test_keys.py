"""Issue 40 #10: a code's coding key is given once and kept: adding, moving, splitting or deleting other codes
never renumbers it; the codebook shows it and an analyst may change it; in both coding stores."""
import re
import sqlite3

from collector import create_app
from collector.coding import stores


def keys_of(coding):
    """{code name: its key} as the codebook gives them."""
    return {code["name"]: code["key"] for code in coding.get("/analyst/api/codes")["codes"]}


def view_keys(coding):
    """{key: code name} as the coding view offers them."""
    page = coding.client.get("/analyst/code", query_string={"at": 1}).get_data(as_text=True)
    return dict(re.findall(r'data-key="(\w)"[^>]*>\s*<kbd>\w</kbd> ([^<]+)</button>', page))


def test_a_codes_key_stays_whatever_codes_come_or_go(coding):
    for name in ("Rota", "Kit", "Wiki", "VPN"):
        coding.post("/analyst/api/codes", {"name": name}, status=201)
    assert keys_of(coding) == {"Rota": "1", "Kit": "2", "Wiki": "3", "VPN": "4"}
    coding.post("/analyst/api/codes", {"name": "Access", "parent": "Kit"}, status=201)  # sorts before VPN
    coding.client.delete("/analyst/api/codes/Wiki")
    coding.post("/analyst/api/codes", {"name": "Buddy"}, status=201)  # takes the key Wiki left
    assert keys_of(coding) == {"Rota": "1", "Kit": "2", "Access": "5", "Buddy": "3", "VPN": "4"}
    assert view_keys(coding)["4"] == "VPN"  # what the coder learnt still holds
    coding.post(f"/analyst/api/responses/{coding.night[0]}/codes", {"add": ["Rota"]})
    coding.post("/analyst/api/codes/Rota/split", {"new": "Nights"}, q="night")
    assert keys_of(coding)["Nights"] == "6" and keys_of(coding)["VPN"] == "4"


def test_an_analyst_changes_a_key_and_a_taken_or_unknown_one_is_refused(coding):
    for name in ("Rota", "Kit"):
        coding.post("/analyst/api/codes", {"name": name}, status=201)
    response = coding.client.patch("/analyst/api/codes/Kit", json={"key": "k"})
    assert response.status_code == 400 and "j, k, u and o" in response.json["error"]
    response = coding.client.patch("/analyst/api/codes/Kit", json={"key": "1"})
    assert response.status_code == 409 and "'Rota'" in response.json["error"]
    assert coding.client.patch("/analyst/api/codes/Kit", json={"key": "z"}).json["key"] == "z"
    coding.post("/analyst/api/codes", {"name": "Wiki"}, status=201)
    assert keys_of(coding) == {"Rota": "1", "Kit": "z", "Wiki": "2"}
    page = coding.client.post(f"/analyst/codes/{_id(coding, 'Rota')}/key", data={"key": ""}, follow_redirects=True)
    assert "has no coding key now" in page.get_data(as_text=True)
    coding.post("/analyst/api/codes", {"name": "VPN"}, status=201)
    assert keys_of(coding) == {"Rota": None, "Kit": "z", "Wiki": "2", "VPN": "1"}


def _id(coding, name):
    with coding.app.test_request_context():
        return stores.current().find_code(name)["id"]


def test_a_journal_from_before_keys_gives_its_codes_keys_in_the_order_they_were_made(app):
    db = sqlite3.connect(app.config["JOURNAL_PATH"])
    db.executescript("DROP TRIGGER codes_key; ALTER TABLE codes DROP COLUMN key;")
    for name, month in (("Later", 3), ("First", 1), ("Middle", 2)):
        db.execute("INSERT INTO codes (name, created_by, created_at) VALUES (?, 'ada', ?)",
                   (name, f"2026-0{month}-01T00:00:00+00:00"))
    db.commit()
    create_app(app.config)  # the next start upgrades the journal
    assert dict(db.execute("SELECT name, key FROM codes").fetchall()) == {"First": "1", "Middle": "2", "Later": "3"}
