"""Who uses what: software found on assets, users seen, assignment suggestions and mismatch alerts."""

from datetime import UTC, date, datetime, timedelta

import pytest

from inventory.extensions import db
from inventory.models import Alert, Assignment, AssignmentSuggestion, Change
from tests.factories import create_asset, create_employee

DAY0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_scan = iter(range(1, 10**6))


def agent_batch(observations, when=DAY0):
    return {"source": "agent", "scanner": "agents", "scan_id": f"run-{next(_scan)}", "batch": 0,
            "finished_at": when.isoformat(), "observations": observations}


def seen(api, asset, logins, when, **extra):
    """An agent report of asset with these users logged in at `when`."""
    obs = {"serial_number": asset.serial_number, "manufacturer": "Dell Inc.",
           "users": [{"login": login, "kind": "current"} for login in logins], **extra}
    r = api.post("/observations", agent_batch([obs], when), role="scanner")
    assert r.status_code == 200, r.json
    assert r.json["decisions"][0]["asset_id"] == asset.id
    return r.json


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def on_days(api, asset, logins, days, start=DAY0):
    for d in range(days):
        seen(api, asset, logins, start + timedelta(days=d))


@pytest.fixture
def laptop(app):
    from tests.factories import create_model

    model = create_model()
    return create_asset(model_id=model.id, serial_number="5CG1111AAA")


def test_software_search_by_package_and_version_follows_each_report(api, laptop):
    packages = [{"name": "OpenSSL", "version": "3.0.11", "publisher": "Debian"},
                {"name": "firefox-esr", "version": "115.5.0esr"}]
    seen(api, laptop, [], DAY0, software=packages, hardware={"cpu": "Intel Core i7-1365U", "cpu_cores": 10,
                                                               "memory_mb": 16384})
    other = create_asset(serial_number="5CG2222BBB", manufacturer_id=laptop.manufacturer_id)
    seen(api, other, [], DAY0, software=[{"name": "openssl", "version": "3.0.9"}])

    found = api.get("/software?name=openssl", role="auditor").json["items"]
    assert sorted((i["asset_tag"], i["version"]) for i in found) == sorted(
        [(laptop.asset_tag, "3.0.11"), (other.asset_tag, "3.0.9")])
    old = api.get("/software?name=OPENSSL&version=3.0.9").json["items"]
    assert [i["asset_id"] for i in old] == [other.id]

    detail = api.get(f"/assets/{laptop.id}", role="hr").json
    assert [(p["name"], p["version"], p["publisher"]) for p in detail["software"]] == [
        ("firefox-esr", "115.5.0esr", None), ("OpenSSL", "3.0.11", "Debian")]
    assert (detail["hardware"]["source"], detail["hardware"]["cpu"], detail["hardware"]["memory_mb"]) == (
        "agent", "Intel Core i7-1365U", 16384)

    # The next report upgraded OpenSSL and removed Firefox: the list follows; a kept package keeps first_seen.
    later = DAY0 + timedelta(days=1)
    seen(api, laptop, [], later, software=[{"name": "OpenSSL", "version": "3.0.13"}])
    mine = api.get(f"/assets/{laptop.id}/software").json["items"]
    assert [(p["name"], p["version"]) for p in mine] == [("OpenSSL", "3.0.13")]
    assert api.get("/software?name=openssl&version=3.0.11").json["items"] == []
    seen(api, laptop, [], later + timedelta(days=1), software=[{"name": "OpenSSL", "version": "3.0.13"}])
    (kept,) = api.get(f"/assets/{laptop.id}/software").json["items"]
    assert kept["first_seen"].startswith(later.date().isoformat()) and kept["last_seen"] > kept["first_seen"]
    # A report without a software list (e.g. from nmap) leaves the list alone.
    seen(api, laptop, [], later + timedelta(days=2))
    assert len(api.get(f"/assets/{laptop.id}/software").json["items"]) == 1


def test_bad_software_and_users_entries_reject_the_batch(api, laptop):
    for bad in ({"software": [{"version": "1.0"}]}, {"software": "openssl"}, {"users": [{"login": 7}]},
                {"users": [{"login": "jdoe", "kind": "admin"}]}):
        obs = {"serial_number": laptop.serial_number, **bad}
        r = api.post("/observations", agent_batch([obs]), role="scanner")
        assert r.status_code == 422, bad
        assert list(r.json["errors"]["json"]["observations"]["0"]) == [next(iter(bad))]


def test_employee_logins_are_unique_and_found_any_case_and_domain(api):
    jane = create_employee(name="Jane Doe", logins=["CORP\\jdoe", "jane.doe"])
    assert api.get(f"/employees/{jane.id}").json["logins"] == ["CORP\\jdoe", "jane.doe"]
    for login in ("jdoe", "OTHERDOM\\JDOE", "Jane.Doe"):
        assert [e["id"] for e in api.get(f"/employees?login={login}", role="hr").json["items"]] == [jane.id], login
    assert api.get("/employees?login=nobody").json["items"] == []
    bob = create_employee(name="Bob")
    r = api.patch(f"/employees/{bob.id}", {"logins": ["corp\\JDOE"]}, role="hr")
    assert r.status_code == 409 and "Jane Doe" in r.json["errors"]["logins"][0]
    assert api.get(f"/employees/{bob.id}").json["logins"] == []
    assert api.patch(f"/employees/{jane.id}", {"logins": ["jd"]}, role="hr").status_code == 200
    assert api.patch(f"/employees/{bob.id}", {"logins": ["jdoe"]}, role="hr").status_code == 200


def test_one_employee_on_enough_days_gets_a_suggestion_and_accepting_checks_out(api, laptop):
    jane = create_employee(name="Jane Doe", logins=["jdoe"])
    on_days(api, laptop, ["CORP\\jdoe", "root"], 2)
    assert api.get("/suggestions").json["items"] == []  # two days: under the threshold of three
    seen(api, laptop, ["jdoe"], DAY0 + timedelta(days=2, hours=5))  # same identity again on day three
    (s,) = api.get("/suggestions?status=open", role="hr").json["items"]
    assert (s["asset_id"], s["employee_id"], s["evidence"]["days_seen"]) == (laptop.id, jane.id, 3)
    assert s["evidence"]["logins"] == ["jdoe"]
    users = api.get(f"/assets/{laptop.id}/users").json
    assert [(u["login_key"], u["employee_id"], u["days_seen"], u["seen_count"]) for u in users] == [
        ("jdoe", jane.id, 3, 3)]
    (jdoe,) = users  # the identity's first and last sighting, whatever domain prefix it came with
    assert (_at(jdoe["first_seen"]), _at(jdoe["last_seen"])) == (DAY0, DAY0 + timedelta(days=2, hours=5))
    assert (_at(s["evidence"]["first_seen"]), _at(s["evidence"]["last_seen"])) == (DAY0, DAY0 + timedelta(days=2,
                                                                                                        hours=5))
    seen_on = api.get(f"/employees/{jane.id}/seen-on").json
    assert [x["asset_id"] for x in seen_on] == [laptop.id]

    assert api.post(f"/suggestions/{s['id']}/accept", {}, role="hr").status_code == 403
    r = api.post(f"/suggestions/{s['id']}/accept", {}, role="it")
    assert r.status_code == 200, r.json
    assert r.json["status"] == "accepted"
    db.session.rollback()
    assignment = db.session.query(Assignment).one()
    assert (assignment.employee_id, assignment.source, assignment.checked_in_at) == (jane.id, "discovery", None)
    history = api.get(f"/assets/{laptop.id}/history").json["items"]
    assert history[0]["action"] == "checkout" and history[0]["after"]["source"] == "discovery"
    assert api.post(f"/suggestions/{s['id']}/accept", {}, role="it").status_code == 409
    assert db.session.query(Assignment).count() == 1


def test_rejected_pairs_stay_silent_and_several_users_suggest_nothing(api, laptop):
    create_employee(name="Jane Doe", logins=["jdoe"])
    on_days(api, laptop, ["jdoe"], 3)
    (s,) = api.get("/suggestions").json["items"]
    r = api.post(f"/suggestions/{s['id']}/reject", {"reason": "shared test machine"}, role="it")
    assert r.status_code == 200 and r.json["status"] == "rejected"
    on_days(api, laptop, ["jdoe"], 3, start=DAY0 + timedelta(days=10))
    assert [x["status"] for x in api.get("/suggestions").json["items"]] == ["rejected"]

    shared = create_asset(serial_number="5CG3333CCC", manufacturer_id=laptop.manufacturer_id)
    create_employee(name="Bob", logins=["bob"])
    on_days(api, shared, ["jdoe", "bob"], 4)
    assert api.get(f"/suggestions?asset_id={shared.id}").json["items"] == []
    assert api.post("/suggestions/999999/accept", {}).status_code == 404


def test_threshold_and_automatic_assignment_are_settings(api, app, laptop):
    jane = create_employee(name="Jane Doe", email="jane@corp.example")
    app.config.update(USAGE_SUGGEST_DAYS=1, USAGE_AUTO_ASSIGN=True)
    try:
        seen(api, laptop, ["JANE@corp.example"], DAY0)  # matched by email when no login is recorded
    finally:
        app.config.update(USAGE_SUGGEST_DAYS=3, USAGE_AUTO_ASSIGN=False)
    db.session.rollback()
    assignment = db.session.query(Assignment).one()
    assert (assignment.employee_id, assignment.source, assignment.checked_out_by) == (jane.id, "discovery",
                                                                                      "token:test-scanner")
    assert db.session.query(AssignmentSuggestion).one().status == "accepted"


def test_holder_not_seen_but_another_employee_raises_a_mismatch_shown_on_both(api, laptop):
    holder = create_employee(name="Xavier Holder", logins=["xholder"])
    user = create_employee(name="Yvonne User", logins=["yuser"])
    assert api.post(f"/assets/{laptop.id}/checkout", {"employee_id": holder.id}, role="it").status_code == 201
    start = datetime.now(UTC) + timedelta(minutes=1)
    on_days(api, laptop, ["yuser"], 2, start=start)
    assert api.get("/alerts?kind=assignment_mismatch").json["items"] == []
    seen(api, laptop, ["yuser"], start + timedelta(days=2))
    for who in (holder.id, user.id):
        (alert,) = api.get(f"/alerts?employee_id={who}", role="hr").json["items"]
        assert (alert["kind"], alert["asset_id"], alert["employee_id"], alert["related_employee_id"]) == (
            "assignment_mismatch", laptop.id, holder.id, user.id)
    assert "Xavier Holder" in alert["message"] and "Yvonne User" in alert["message"]
    assert api.get("/suggestions").json["items"] == []  # it is assigned: no suggestion, an alert

    # The holder shows up on it too: the alert closes; nothing else is changed by it.
    changes = db.session.query(Change).count()
    seen(api, laptop, ["xholder"], start + timedelta(days=3))
    assert api.get("/alerts?kind=assignment_mismatch").json["items"] == []
    db.session.rollback()
    assert db.session.query(Alert).one().closed_at is not None
    assert db.session.query(Assignment).one().employee_id == holder.id
    assert db.session.query(Change).count() == changes

    # Another asset of Xavier's used only by Yvonne: checking it in closes the alert at once.
    desk = create_asset(serial_number="5CG4444DDD", manufacturer_id=laptop.manufacturer_id)
    assert api.post(f"/assets/{desk.id}/checkout", {"employee_id": holder.id}, role="it").status_code == 201
    on_days(api, desk, ["yuser"], 3, start=datetime.now(UTC) + timedelta(minutes=1))
    assert [a["asset_id"] for a in api.get(f"/alerts?employee_id={user.id}").json["items"]] == [desk.id]
    assert api.post(f"/assets/{desk.id}/checkin", {}, role="it").status_code == 200
    assert api.get("/alerts?kind=assignment_mismatch").json["items"] == []


def test_offboarding_adds_devices_the_leaver_was_seen_using_as_lines_to_check(api, app, laptop):
    leaver = create_employee(name="Lee Vaughn", logins=["CORP\\lvaughn"])
    held = create_asset(serial_number="5CG5555EEE", manufacturer_id=laptop.manufacturer_id)
    old = create_asset(serial_number="5CG6666FFF", manufacturer_id=laptop.manufacturer_id)
    assert api.post(f"/assets/{held.id}/checkout", {"employee_id": leaver.id}, role="it").status_code == 201
    recent = datetime.now(UTC) - timedelta(days=2)
    seen(api, laptop, ["lvaughn"], recent)  # a colleague's or a pool machine: not theirs
    seen(api, held, ["lvaughn"], recent)  # held: an ordinary line, not a second one
    seen(api, old, ["LVAUGHN"], recent - timedelta(days=200))  # beyond USAGE_LOOKBACK_DAYS (90)
    r = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr")
    assert r.status_code == 201, r.json
    lines = r.json["lines"]
    assert sorted((ln["kind"], ln["asset_id"]) for ln in lines) == sorted([("held", held.id), ("to_check", laptop.id)])
    to_check = next(ln for ln in lines if ln["kind"] == "to_check")
    assert "lvaughn" in to_check["reason"] and "not checked out to them" in to_check["reason"]
    assert api.post(f"/offboardings/{r.json['id']}/clearance", {}, role="hr").status_code == 409


def test_mismatch_counts_only_the_days_since_the_checkout(api, laptop):
    holder = create_employee(name="Xavier Holder", logins=["xholder"])
    user = create_employee(name="Yvonne User", logins=["yuser"])
    now = datetime.now(UTC)
    # Yvonne had it before it went to Xavier: three days, the last of them an hour before the checkout.
    for before in (timedelta(days=3), timedelta(days=2), timedelta(hours=1)):
        seen(api, laptop, ["yuser"], now - before)
    assert api.post(f"/assets/{laptop.id}/checkout", {"employee_id": holder.id}, role="it").status_code == 201
    start = datetime.now(UTC) + timedelta(minutes=1)
    on_days(api, laptop, ["yuser"], 2, start=start)  # two days since the checkout: under the threshold of three
    assert api.get("/alerts?kind=assignment_mismatch").json["items"] == []
    (y,) = api.get(f"/assets/{laptop.id}/users").json
    assert y["days_seen"] >= 4  # all-time days still count for suggestions and the asset's page
    seen(api, laptop, ["yuser"], start + timedelta(days=2))
    (alert,) = api.get("/alerts?kind=assignment_mismatch").json["items"]
    assert (alert["employee_id"], alert["related_employee_id"]) == (holder.id, user.id)
    assert alert["details"]["days_since_checkout"] == 3 and "3 days since the checkout" in alert["message"]


def test_a_last_login_reported_again_every_day_adds_no_days(api, laptop):
    from inventory.formats.agent_xml import parse_agent_xml

    create_employee(name="Carol Once", logins=["carol"])
    xml = (b"<REQUEST><DEVICEID>pc1</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><NAME>pc1</NAME>"
           b"<LASTLOGGEDUSER>carol</LASTLOGGEDUSER><DATELASTLOGGEDUSER>Mon Nov 24 17:42</DATELASTLOGGEDUSER>"
           b"</HARDWARE></CONTENT></REQUEST>")
    users = parse_agent_xml(xml).observation["users"]  # what the agent endpoint hands to ingest
    login = _at(users[0]["seen_at"])
    for d in range(4):  # the daily inventory of a machine Carol logged into once
        seen(api, laptop, [], login + timedelta(days=7 + d), users=users)
    (carol,) = api.get(f"/assets/{laptop.id}/users").json
    assert (carol["kind"], carol["days_seen"], carol["seen_count"]) == ("last", 1, 4)
    assert _at(carol["first_seen"]) == _at(carol["last_seen"]) == login
    assert api.get("/suggestions").json["items"] == []
    # A later login is a new day; the same one again is not.
    later = [{**users[0], "seen_at": (login + timedelta(days=8)).isoformat()}]
    seen(api, laptop, [], login + timedelta(days=12), users=later)
    seen(api, laptop, [], login + timedelta(days=13), users=later)
    (carol,) = api.get(f"/assets/{laptop.id}/users").json
    assert (carol["days_seen"], _at(carol["last_seen"])) == (2, login + timedelta(days=8))


def test_devices_a_leaver_is_seen_using_while_offboarding_become_lines_to_check(api, laptop):
    leaver = create_employee(name="Lee Vaughn", logins=["CORP\\lvaughn"])
    held = create_asset(serial_number="5CG5555EEE", manufacturer_id=laptop.manufacturer_id)
    pool = create_asset(serial_number="5CG7777GGG", manufacturer_id=laptop.manufacturer_id)
    assert api.post(f"/assets/{held.id}/checkout", {"employee_id": leaver.id}, role="it").status_code == 201
    r = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr")
    assert r.status_code == 201, r.json
    case_id = r.json["id"]
    assert [ln["kind"] for ln in r.json["lines"]] == ["held"]

    now = datetime.now(UTC)
    seen(api, laptop, ["lvaughn"], now + timedelta(minutes=1))  # while the case is open: a line to check
    seen(api, held, ["lvaughn"], now + timedelta(minutes=1))  # held: it has its line already
    seen(api, pool, [], now + timedelta(minutes=1), users=[  # a last login from before the case: not a new lead
        {"login": "lvaughn", "kind": "last", "seen_at": (now - timedelta(days=1)).isoformat()}])
    seen(api, laptop, ["CORP\\LVAUGHN"], now + timedelta(days=1))  # again: still one line
    lines = api.get(f"/offboardings/{case_id}", role="hr").json["lines"]
    assert sorted((ln["kind"], ln["asset_id"]) for ln in lines) == sorted([("held", held.id), ("to_check", laptop.id)])
    to_check = next(ln for ln in lines if ln["kind"] == "to_check")
    assert "Lee Vaughn" in to_check["reason"] and "while offboarding" in to_check["reason"]
    assert to_check["state"] == "open"
    history = api.get(f"/changes?object_type=offboarding&object_id={case_id}&action=line_added").json["items"]
    assert [(c["after"]["kind"], c["after"]["asset_id"]) for c in history] == [("to_check", laptop.id)]
