"""Offboarding through the API as HR and IT run it: lines, return/transfer/write-off, clearance, receipt, cancel."""

from datetime import date, timedelta

import pytest

from inventory.errors import Conflict
from inventory.extensions import db
from inventory.models import Change
from inventory.services import offboarding
from inventory.services.context import Context
from tests.factories import assert_all_not_found, create_asset, create_employee


def changes() -> int:
    db.session.rollback()
    return db.session.query(Change).count()


def checkout(api, asset, emp):
    r = api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id}, role="it")
    assert r.status_code == 201, r.json
    return r.json


def test_leaver_with_three_assets_returned_transferred_lost_then_cleared_with_receipt(api):
    leaver = create_employee(name="Lee Vaughn", start_date=date(2020, 1, 1))
    colleague = create_employee(name="Col League")
    laptop, phone, tablet = create_asset(), create_asset(kind="phone"), create_asset(kind="mobile_device")
    for asset in (laptop, phone, tablet):
        checkout(api, asset, leaver)
    last_day = date.today() + timedelta(days=7)

    n = changes()
    r = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": last_day.isoformat()}, role="hr")
    assert r.status_code == 201, r.json
    case = r.json
    assert case["state"] == "open" and case["employee_status"] == "leaving" and case["last_day"] == last_day.isoformat()
    assert [ln["asset_id"] for ln in case["lines"]] == [laptop.id, phone.id, tablet.id]
    assert all(ln["due_date"] == last_day.isoformat() and ln["state"] == "open" for ln in case["lines"])
    assert changes() > n
    emp = api.get(f"/employees/{leaver.id}", role="hr").json
    assert emp["status"] == "leaving" and emp["end_date"] == last_day.isoformat()
    line = {ln["asset_id"]: ln["id"] for ln in case["lines"]}
    base = f"/offboardings/{case['id']}"

    # HR follows the case but does not handle hardware.
    assert api.post(f"{base}/lines/{line[laptop.id]}/return", {}, role="hr").status_code == 403

    n = changes()
    r = api.post(f"{base}/lines/{line[laptop.id]}/return", {"condition": "good", "note": "charger too"}, role="it")
    assert r.status_code == 200, r.json
    assert api.get(f"/assets/{laptop.id}").json["status"] == "in_stock"
    assert changes() > n

    # Clearance with two open lines: refused, naming them, and nothing changes.
    n, before = changes(), api.get(base, role="hr").json
    r = api.post(f"{base}/clearance", {}, role="hr")
    assert r.status_code == 409
    assert phone.asset_tag in r.json["message"] and tablet.asset_tag in r.json["message"]
    assert laptop.asset_tag not in r.json["message"]
    assert len(r.json["errors"]["open_lines"]) == 2
    assert changes() == n and api.get(base, role="hr").json == before

    n = changes()
    r = api.post(f"{base}/lines/{line[phone.id]}/transfer", {"employee_id": colleague.id, "note": "team phone"},
                 role="it")
    assert r.status_code == 200, r.json
    assert api.get(f"/assets/{phone.id}").json["assigned_to"] == colleague.id
    history = api.get(f"/assets/{phone.id}/history").json["items"]
    assert [h["action"] for h in history[:3]] == ["checkout", "checkin", "checkout"]
    assert history[0]["after"]["assigned_to"] == colleague.id and history[0]["after"]["source"] == "transfer"
    assert history[1]["before"]["assigned_to"] == leaver.id
    assert changes() > n

    # Written off: a note is required; the asset status follows.
    n = changes()
    r = api.post(f"{base}/lines/{line[tablet.id]}/write-off", {"status": "lost"}, role="it")
    assert r.status_code == 422 and "note" in r.json["errors"]["json"]
    assert changes() == n and api.get(f"/assets/{tablet.id}").json["status"] == "deployed"
    r = api.post(f"{base}/lines/{line[tablet.id]}/write-off", {"status": "lost", "note": "left in a taxi"}, role="it")
    assert r.status_code == 200, r.json
    got = api.get(f"/assets/{tablet.id}").json
    assert got["status"] == "lost" and got["assigned_to"] is None

    n = changes()
    r = api.post(f"{base}/clearance", {"note": "all settled"}, role="hr")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "cleared" and r.json["cleared_by"] == "token:test-hr" and r.json["cleared_at"]
    assert api.get(f"/employees/{leaver.id}", role="hr").json["status"] == "left"
    assert changes() > n

    receipt = api.get(f"{base}/receipt", role="hr").json
    closed = {i["asset_id"]: i for i in receipt["items"]}
    assert {k: v["resolution"] for k, v in closed.items()} == {laptop.id: "returned", phone.id: "transferred",
                                                               tablet.id: "lost"}
    assert closed[laptop.id]["condition"] == "good" and closed[tablet.id]["note"] == "left in a taxi"
    assert closed[phone.id]["transferred_to_name"] == "Col League"
    assert all(i["closed_at"] and i["closed_by"] == "token:test-it" for i in receipt["items"])
    assert receipt["cleared_by"] == "token:test-hr"

    page = api.get(f"{base}/receipt", role="hr", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for words in ("Lee Vaughn", laptop.asset_tag, phone.asset_tag, tablet.asset_tag, "transferred", "to Col League",
                  "left in a taxi", "token:test-hr"):
        assert words in text, words
    assert "<style" not in text and "<script" not in text
    assert api.get(f"{base}/receipt?format=html", role="hr").mimetype == "text/html"

    # A cleared case is final.
    assert api.post(f"{base}/clearance", {}, role="hr").status_code == 409
    assert api.post(f"{base}/cancel", {"reason": "oops"}, role="hr").status_code == 409


def test_refusals_change_nothing(api):
    leaver, left = create_employee(), create_employee(status="left")
    other = create_employee()
    asset = create_asset()
    checkout(api, asset, leaver)
    case = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    line_id = case["lines"][0]["id"]
    base = f"/offboardings/{case['id']}"
    n, before_asset, before_case = changes(), api.get(f"/assets/{asset.id}").json, api.get(base).json
    cases = [
        (f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, "hr", 409, "already has"),
        (f"/employees/{left.id}/offboarding", {"last_day": date.today().isoformat()}, "hr", 409, "left"),
        (f"/employees/{other.id}/offboarding", {}, "hr", 422, "last_day"),
        (f"{base}/lines/{line_id}/transfer", {"employee_id": left.id}, "it", 409, "has left"),
        (f"{base}/lines/{line_id}/transfer", {"employee_id": leaver.id}, "it", 422, "other than the leaver"),
        (f"{base}/lines/{line_id}/transfer", {"employee_id": 99999}, "it", 422, "does not exist"),
        (f"{base}/lines/{line_id}/write-off", {"status": "retired", "note": "x"}, "it", 422, "status"),
        (f"{base}/lines/{line_id}/confirm", {}, "it", 409, "return, transfer or write"),
        (f"{base}/lines/99999/return", {}, "it", 404, "not part"),
        (f"{base}/lines/{line_id}/transfer", {"employee_id": other.id}, "hr", 403, "may not"),
        (f"{base}/clearance", {}, "it", 409, asset.asset_tag),
        (f"{base}/cancel", {}, "hr", 422, "reason"),
        (f"{base}/receipt", None, "hr", 409, "cleared"),
    ]
    for path, body, role, status, words in cases:
        r = api.get(path, role=role) if body is None else api.post(path, body, role=role)
        assert r.status_code == status, (path, body, r.json)
        assert words.lower() in (r.json["message"] + str(r.json.get("errors", ""))).lower(), (path, r.json)
    assert changes() == n
    assert api.get(f"/assets/{asset.id}").json == before_asset and api.get(base).json == before_case


def test_checkout_after_opening_adds_a_line_and_a_plain_checkin_closes_it(api):
    leaver = create_employee()
    case = api.post(f"/employees/{leaver.id}/offboarding",
                    {"last_day": (date.today() + timedelta(days=3)).isoformat()}, role="hr").json
    assert case["lines"] == []
    asset = create_asset()
    n = changes()
    checkout(api, asset, leaver)
    lines = api.get(f"/offboardings/{case['id']}", role="hr").json["lines"]
    assert [(ln["asset_id"], ln["kind"], ln["state"]) for ln in lines] == [(asset.id, "held", "open")]
    assert changes() >= n + 2  # the checkout and the line added
    r = api.post(f"/assets/{asset.id}/checkin", {"condition": "worn"}, role="it")
    assert r.status_code == 200
    line = api.get(f"/offboardings/{case['id']}", role="hr").json["lines"][0]
    assert line["state"] == "closed" and line["resolution"] == "returned" and line["condition"] == "worn"
    assert api.post(f"/offboardings/{case['id']}/clearance", {}, role="hr").status_code == 200


def test_cancel_keeps_history_and_the_person_stays(api):
    emp = create_employee(end_date=None)
    asset = create_asset()
    checkout(api, asset, emp)
    case = api.post(f"/employees/{emp.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    r = api.post(f"/offboardings/{case['id']}/cancel", {"reason": "stays after all"}, role="hr")
    assert r.status_code == 200 and r.json["state"] == "cancelled" and r.json["cancel_reason"] == "stays after all"
    got = api.get(f"/employees/{emp.id}", role="hr").json
    assert got["status"] == "active" and got["end_date"] is None
    kept = api.get(f"/offboardings/{case['id']}", role="hr").json
    assert kept["state"] == "cancelled" and len(kept["lines"]) == 1
    listed = api.get("/offboardings?state=cancelled", role="hr").json["items"]
    assert [c["id"] for c in listed] == [case["id"]]
    line_id = kept["lines"][0]["id"]
    assert api.post(f"/offboardings/{case['id']}/lines/{line_id}/return", {}, role="it").status_code == 409
    assert api.post(f"/offboardings/{case['id']}/cancel", {"reason": "again"}, role="hr").status_code == 409
    history = api.get(f"/changes?object_type=offboarding&object_id={case['id']}").json["items"]
    assert [h["action"] for h in history] == ["cancel", "open"]
    # A new case can be opened later; the old one stays listed for the employee.
    assert api.post(f"/employees/{emp.id}/offboarding", {"last_day": date.today().isoformat()},
                    role="hr").status_code == 201
    assert len(api.get(f"/employees/{emp.id}/offboarding", role="hr").json["items"]) == 2


def test_overdue_cases_and_outstanding_returns(api):
    late, early = create_employee(name="Late"), create_employee(name="Early")
    a1, a2 = create_asset(), create_asset()
    checkout(api, a1, late)
    checkout(api, a2, early)
    c1 = api.post(f"/employees/{late.id}/offboarding",
                  {"last_day": (date.today() - timedelta(days=5)).isoformat()}, role="hr").json
    c2 = api.post(f"/employees/{early.id}/offboarding",
                  {"last_day": (date.today() + timedelta(days=5)).isoformat()}, role="hr").json
    assert c1["overdue"] and c1["overdue_lines"] == [c1["lines"][0]["id"]] and c1["lines"][0]["overdue"]
    assert not c2["overdue"]
    overdue = api.get("/offboardings?state=open&overdue=true", role="hr").json["items"]
    assert [c["id"] for c in overdue] == [c1["id"]] and "lines" not in overdue[0]
    assert [c["id"] for c in api.get("/offboardings?state=open", role="hr").json["items"]] == [c1["id"], c2["id"]]
    rows = api.get("/reports/outstanding-returns", role="hr").json["rows"]
    assert [(r["asset_id"], r["overdue"], r["days_overdue"]) for r in rows] == [(a1.id, True, 5), (a2.id, False, 0)]
    # Leavers past their last day who still hold something.
    held = api.get("/reports/leavers-holding", role="hr").json["rows"]
    assert [(r["employee_name"], r["asset_id"], r["days_since_last_day"]) for r in held] == [("Late", a1.id, 5)]


def test_to_check_lines_close_by_confirm(api):
    """The hook another engineer uses for devices a leaver was seen using but does not hold."""
    emp = create_employee()
    seen = create_asset()
    case = api.post(f"/employees/{emp.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    obj = offboarding.get_case(case["id"])
    line = offboarding.add_to_check_line(obj, seen.id, "seen logged in on it last week", Context("test"))
    offboarding.add_to_check_line(obj, None, "says they had a spare phone", Context("test"))
    db.session.commit()
    lines = api.get(f"/offboardings/{case['id']}", role="hr").json["lines"]
    assert [(ln["kind"], ln["asset_id"]) for ln in lines] == [("to_check", seen.id), ("to_check", None)]
    r = api.post(f"/offboardings/{case['id']}/lines/{line.id}/confirm", {"note": "not there"}, role="it")
    assert r.status_code == 200
    assert api.post(f"/offboardings/{case['id']}/clearance", {}, role="hr").status_code == 409
    r = api.post(f"/offboardings/{case['id']}/lines/{lines[1]['id']}/return", {}, role="it")
    assert r.status_code == 200, r.json
    assert api.post(f"/offboardings/{case['id']}/clearance", {}, role="hr").status_code == 200
    assert api.get(f"/assets/{seen.id}").json["status"] == "in_stock"


def test_a_transfer_made_outside_the_case_closes_the_line_as_transferred(api):
    from inventory.services import assignment

    leaver, heir, gone = create_employee(), create_employee(name="Heir"), create_employee(status="left")
    asset = create_asset()
    checkout(api, asset, leaver)
    case = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    n = changes()
    with pytest.raises(Conflict, match="has left"):
        assignment.transfer(asset.id, gone.id, Context("test"))
    db.session.rollback()
    assert changes() == n
    assignment.transfer(asset.id, heir.id, Context("test"), condition="ok")
    db.session.commit()
    line = api.get(f"/offboardings/{case['id']}", role="hr").json["lines"][0]
    assert (line["state"], line["resolution"], line["transferred_to_name"]) == ("closed", "transferred", "Heir")
    assert [h["action"] for h in api.get(f"/assets/{asset.id}/history").json["items"][:2]] == ["checkout", "checkin"]


def test_a_held_device_seen_after_the_last_day_flags_the_case(api):
    leaver = create_employee(name="Lee Vaughn", start_date=date(2020, 1, 1))
    laptop = create_asset(interfaces=[{"mac": "00:14:22:00:00:77"}])
    checkout(api, laptop, leaver)
    last_day = date.today() - timedelta(days=2)
    case = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": last_day.isoformat()}, role="hr")
    assert case.status_code == 201, case.json
    assert api.get(f"/offboardings/{case.json['id']}", role="hr").json["alerts"] == []
    body = {"source": "nmap", "scanner": "scan-hq", "scan_id": "after", "observations": [
        {"macs": ["00-14-22-00-00-77"], "ip_addresses": ["10.213.0.7"]}]}
    assert api.post("/observations", body, role="scanner").status_code == 200
    (alert,) = api.get(f"/offboardings/{case.json['id']}", role="hr").json["alerts"]
    assert (alert["kind"], alert["asset_id"], alert["employee_id"]) == ("leaver_device_seen", laptop.id, leaver.id)
    assert [a["id"] for a in api.get(f"/alerts?employee_id={leaver.id}").json["items"]] == [alert["id"]]


def test_status_left_or_leaving_only_through_a_case_unless_nothing_is_held(api):
    """PATCH status cannot bypass clearance; someone who never had kit may simply be marked left."""
    holder, laptop = create_employee(name="Hol Der"), create_asset()
    checkout(api, laptop, holder)
    emp_url = f"/employees/{holder.id}"

    def refused(body, status, *words):
        n, before = changes(), api.get(emp_url, role="hr").json
        r = api.patch(emp_url, body, role="hr")
        assert r.status_code == status, (body, r.json)
        assert set(r.json) >= {"code", "status", "message"} and r.json["code"] == status
        text = r.json["message"] + str(r.json.get("errors", ""))
        for w in words:
            assert w in text, (w, r.json)
        assert changes() == n and api.get(emp_url, role="hr").json == before
        return r.json

    # No case, equipment held: "left" is refused naming what is held; "leaving" only by opening a case.
    body = refused({"status": "left"}, 409, laptop.asset_tag, "offboarding")
    assert body["errors"]["held_assets"] == [laptop.asset_tag]
    refused({"status": "leaving"}, 409, f"/employees/{holder.id}/offboarding")
    refused({"status": "left", "job_title": "Gone"}, 409, laptop.asset_tag)  # the whole request, not a part

    # An open case: "left" only by clearance, "active" only by cancel.
    case = api.post(f"{emp_url}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    body = refused({"status": "left"}, 409, f"offboarding case ({case['id']})", "clearance", laptop.asset_tag)
    assert body["errors"]["case_id"] == [case["id"]] and len(body["errors"]["open_lines"]) == 1
    refused({"status": "active"}, 409, f"/offboardings/{case['id']}/cancel")
    # Nor does the end date drift from the case's last day (lines are due then).
    body = refused({"end_date": (date.today() + timedelta(days=30)).isoformat()}, 409, f"case {case['id']}")
    assert body["errors"]["case_id"] == [case["id"]]
    refused({"end_date": None}, 409, "last day")
    assert api.get(f"/offboardings/{case['id']}", role="hr").json["state"] == "open"
    # Unchanged status with other fields (a client sending the whole record back) is fine.
    r = api.patch(emp_url, {"status": "leaving", "job_title": "Handing over"}, role="hr")
    assert r.status_code == 200 and r.json["job_title"] == "Handing over" and r.json["status"] == "leaving"

    # Once everything is back and the case cleared, they have left; "left" again changes nothing.
    api.post(f"/offboardings/{case['id']}/lines/{case['lines'][0]['id']}/return", {}, role="it")
    assert api.post(f"/offboardings/{case['id']}/clearance", {}, role="hr").status_code == 200
    assert api.patch(emp_url, {"status": "left"}, role="hr").json["status"] == "left"

    # Never had kit and no case: may simply be marked left, and come back (rehired) later.
    n = changes()
    contractor = create_employee()
    r = api.patch(f"/employees/{contractor.id}", {"status": "left"}, role="hr")
    assert r.status_code == 200 and r.json["status"] == "left" and changes() > n
    assert api.patch(f"/employees/{contractor.id}", {"status": "active"}, role="hr").json["status"] == "active"
    # A new record may be made as "left" (history), never as "leaving".
    new = {"employee_number": "X-1", "name": "New Comer", "email": "new@example.com"}
    n = changes()
    r = api.post("/employees", {**new, "status": "leaving"}, role="hr")
    assert r.status_code == 409 and "offboarding" in r.json["message"]
    assert changes() == n and api.get("/employees?employee_number=X-1", role="hr").json["items"] == []
    assert api.post("/employees", {**new, "status": "left"}, role="hr").status_code == 201


@pytest.mark.parametrize("missing", [99999, 0, 2**63])
def test_unknown_cases_and_lines_are_404_and_change_nothing(api, missing):
    leaver, other, asset = create_employee(), create_employee(), create_asset()
    checkout(api, asset, leaver)
    case = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    line_id, base = case["lines"][0]["id"], f"/offboardings/{case['id']}"
    n, before_case, before_asset = changes(), api.get(base).json, api.get(f"/assets/{asset.id}").json
    gone = f"/offboardings/{missing}"
    calls = [
        ("GET", gone, None, "hr"), ("POST", f"{gone}/clearance", {}, "hr"),
        ("POST", f"{gone}/cancel", {"reason": "stays"}, "hr"), ("GET", f"{gone}/receipt", None, "hr"),
        ("GET", f"{gone}/receipt?format=html", None, "hr"),
        ("POST", f"{gone}/lines/{line_id}/return", {}, "it"),
        ("POST", f"{gone}/lines/{line_id}/transfer", {"employee_id": other.id}, "it"),
        ("POST", f"{gone}/lines/{line_id}/write-off", {"status": "lost", "note": "gone"}, "it"),
        ("POST", f"{gone}/lines/{line_id}/confirm", {}, "it"),
        ("GET", f"/employees/{missing}/offboarding", None, "hr"),
        ("POST", f"/employees/{missing}/offboarding", {"last_day": date.today().isoformat()}, "hr"),
        # The case exists, the line does not.
        ("POST", f"{base}/lines/{missing}/return", {}, "it"),
        ("POST", f"{base}/lines/{missing}/transfer", {"employee_id": other.id}, "it"),
        ("POST", f"{base}/lines/{missing}/write-off", {"status": "lost", "note": "gone"}, "it"),
        ("POST", f"{base}/lines/{missing}/confirm", {}, "it"),
    ]
    assert_all_not_found(api, calls, missing)
    assert changes() == n
    assert api.get(base).json == before_case and api.get(f"/assets/{asset.id}").json == before_asset
