"""Onboarding through the API: kits, a hire's case fulfilled by IT, and acknowledgement links."""

from datetime import date, timedelta

import pytest

from inventory.extensions import db
from inventory.models import Change
from tests.factories import assert_all_not_found, create_asset, create_employee


def changes() -> int:
    db.session.rollback()
    return db.session.query(Change).count()


def model(api, name, kind, specs=None):
    man = api.post("/manufacturers", {"name": "Acme"}, role="it")
    man_id = man.json["id"] if man.status_code == 201 else api.get("/manufacturers?q=Acme").json["items"][0]["id"]
    r = api.post("/models", {"manufacturer_id": man_id, "name": name, "kind": kind, "specs": specs or {}}, role="it")
    assert r.status_code == 201, r.json
    return r.json["id"]


def engineer_kit(api):
    big = model(api, "Laptop 16", "computer", {"memory_gb": 16})
    small = model(api, "Laptop 8", "computer", {"memory_gb": 8})
    monitor = model(api, "Monitor 27", "peripheral")
    phone = model(api, "Phone X", "phone")
    r = api.post("/kits", {"name": "Engineer", "job_title": "Engineer", "lines": [
        {"kind": "computer", "min_specs": {"memory_gb": 16}, "requirement": "at least 16 GB"},
        {"kind": "phone"},
        {"kind": "peripheral", "model_id": monitor, "requirement": "monitor", "quantity": 2},
    ]}, role="it")
    assert r.status_code == 201, r.json
    return r.json, {"big": big, "small": small, "monitor": monitor, "phone": phone}


def test_hire_with_a_kit_through_to_a_complete_case(api):
    kit, models = engineer_kit(api)
    assert [ln["quantity"] for ln in kit["lines"]] == [1, 1, 2]
    big = create_asset(model_id=models["big"])
    small = create_asset(model_id=models["small"])
    taken = create_asset(model_id=models["big"])
    phone = create_asset(kind="phone", model_id=models["phone"])
    monitors = [create_asset(kind="peripheral", model_id=models["monitor"]) for _ in range(2)]
    api.post(f"/assets/{taken.id}/checkout", {"employee_id": create_employee().id}, role="it")

    r = api.post("/employees", {"employee_number": "H1", "name": "Hana Hire", "email": "hana@example.com",
                                "job_title": "Engineer"}, role="hr")
    assert r.status_code == 201, r.json
    hire = r.json["id"]
    needed = (date.today() + timedelta(days=10)).isoformat()
    n = changes()
    r = api.post(f"/employees/{hire}/onboarding", {"kit_id": kit["id"], "needed_by": needed}, role="hr")
    assert r.status_code == 201, r.json
    case = r.json
    assert changes() == n + 1
    assert case["state"] == "open" and case["kit_name"] == "Engineer" and case["progress"] == {"fulfilled": 0,
                                                                                               "total": 4}
    lines = {ln["kind"]: ln["id"] for ln in case["lines"]}
    base = f"/onboardings/{case['id']}"

    # The endpoint proposes candidates: in stock, of the kind, with enough memory.
    r = api.get(f"{base}/lines/{lines['computer']}/candidates", role="it")
    assert r.status_code == 200 and [a["id"] for a in r.json] == [big.id]
    assert api.get(f"{base}/lines/{case['lines'][2]['id']}/candidates", role="it").json[0]["id"] == monitors[0].id

    # HR reads the case but IT fulfils.
    assert api.post(f"{base}/lines/{lines['computer']}/fulfil", {"asset_id": big.id}, role="hr").status_code == 403

    n, before = changes(), api.get(f"/assets/{phone.id}").json
    for asset, words in ((phone, "needs a computer"), (small, "memory_gb must be at least 16")):
        r = api.post(f"{base}/lines/{lines['computer']}/fulfil", {"asset_id": asset.id}, role="it")
        assert r.status_code == 422 and words in str(r.json["errors"]["asset_id"]), r.json
    r = api.post(f"{base}/lines/{lines['computer']}/fulfil", {"asset_id": taken.id}, role="it")
    assert r.status_code == 409 and "already checked out" in r.json["message"]
    assert changes() == n and api.get(f"/assets/{phone.id}").json == before

    r = api.post(f"{base}/lines/{lines['computer']}/fulfil", {"asset_id": big.id, "require_acknowledgement": True},
                 role="it")
    assert r.status_code == 200, r.json
    assert r.json["acknowledgement"]["url"].startswith("/api/v1/acknowledgements/ack_")
    assert r.json["case"]["progress"] == {"fulfilled": 1, "total": 4}
    assert api.post(f"{base}/lines/{lines['computer']}/fulfil", {"asset_id": small.id}, role="it").status_code == 409
    r = api.post(f"{base}/lines/{lines['phone']}/fulfil", {"asset_id": phone.id}, role="it")
    assert r.json["acknowledgement"] is None and r.json["case"]["state"] == "open"
    for line, monitor in zip(case["lines"][2:], monitors, strict=True):
        r = api.post(f"{base}/lines/{line['id']}/fulfil", {"asset_id": monitor.id}, role="it")
        assert r.status_code == 200, r.json

    done = api.get(base, role="hr").json
    assert done["state"] == "complete" and done["completed_at"] and done["progress"] == {"fulfilled": 4, "total": 4}
    assert [ln["acknowledgement"] for ln in done["lines"]] == ["pending", "not_requested", "not_requested",
                                                               "not_requested"]
    held = {a["id"] for a in api.get(f"/employees/{hire}/assets", role="hr").json["items"]}
    assert held == {big.id, phone.id, *(m.id for m in monitors)}
    assert api.get(f"/assets/{big.id}/history").json["items"][0]["after"]["source"] == "onboarding"
    actions = [c["action"] for c in api.get(f"/changes?object_type=onboarding&object_id={case['id']}").json["items"]]
    assert actions == ["complete", "fulfil", "fulfil", "fulfil", "fulfil", "open"]
    assert [c["id"] for c in api.get(f"/employees/{hire}/onboarding", role="hr").json["items"]] == [case["id"]]


def test_onboarding_refusals_change_nothing(api):
    kit, _ = engineer_kit(api)
    hire, gone = create_employee(), create_employee(status="left")
    case = api.post(f"/employees/{hire.id}/onboarding", {"kit_id": kit["id"]}, role="hr").json
    n = changes()
    cases = [
        (f"/employees/{hire.id}/onboarding", {"kit_id": kit["id"]}, "hr", 409, "already has an open"),
        (f"/employees/{gone.id}/onboarding", {"kit_id": kit["id"]}, "hr", 409, "left"),
        (f"/employees/{hire.id}/onboarding", {"kit_id": 99999}, "hr", 422, "kit"),
        ("/employees/99999/onboarding", {"kit_id": kit["id"]}, "hr", 404, "not found"),
        (f"/onboardings/{case['id']}/lines/99999/fulfil", {"asset_id": 1}, "it", 404, "not part"),
        (f"/onboardings/{case['id']}/lines/{case['lines'][0]['id']}/fulfil", {"asset_id": 99999}, "it", 422,
         "does not exist"),
        ("/kits", {"name": "HR kit", "lines": [{"kind": "phone"}]}, "hr", 403, "may not"),
        ("/kits", {"name": "Empty"}, "it", 422, "at least one line"),
        ("/kits", {"name": "Engineer", "lines": [{"kind": "phone"}]}, "it", 409, "already used"),
        ("/kits", {"name": "Bad", "lines": [{"kind": "phone", "model_id": kit["lines"][2]["model_id"]}]}, "it", 422,
         "not a phone"),
        ("/kits", {"name": "Bad", "lines": [{"kind": "computer", "min_specs": {"memory_gb": "lots"}}]}, "it", 422,
         "a number"),
    ]
    for path, body, role, status, words in cases:
        r = api.post(path, body, role=role)
        assert r.status_code == status, (path, body, r.json)
        assert words.lower() in (r.json["message"] + str(r.json.get("errors", ""))).lower(), (path, r.json)
    assert api.delete(f"/kits/{kit['id']}", role="it").status_code == 409
    assert changes() == n
    r = api.post(f"/onboardings/{case['id']}/cancel", {"reason": "did not join"}, role="hr")
    assert r.status_code == 200 and r.json["state"] == "cancelled"
    assert api.delete(f"/kits/{kit['id']}", role="it").status_code == 204
    assert api.get(f"/onboardings/{case['id']}", role="hr").json["kit_name"] == "Engineer"


def test_acknowledgement_link_once_then_gone(app, api):
    emp, asset = create_employee(name="Ann Ack"), create_asset(serial_number="SN-ACK-1")
    out = api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id}, role="it").json
    r = api.post(f"/assignments/{out['id']}/acknowledgement", role="hr")
    assert r.status_code == 201, r.json
    url = r.json["url"]
    assert api.get(f"/assignments/{out['id']}/acknowledgement", role="hr").json["state"] == "pending"

    # Public: no bearer token; what was issued, as JSON or as a small page with a form.
    shown = api.get(url, role=None)
    assert shown.status_code == 200 and shown.json["asset_tag"] == asset.asset_tag
    assert shown.json["employee_name"] == "Ann Ack" and shown.json["serial_number"] == "SN-ACK-1"
    page = api.get(url, role=None, headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and b"SN-ACK-1" in page.data and b'name="decision"' in page.data

    n = changes()
    r = api.post(url, {"decision": "refuse"}, role=None)
    assert r.status_code == 422 and "reason" in r.json["errors"]
    assert changes() == n
    r = api.post(url, {"decision": "accept"}, role=None, headers={"User-Agent": "TestBrowser/1.0"},
                 environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert r.status_code == 200 and r.json["state"] == "accepted"
    state = api.get(f"/assignments/{out['id']}/acknowledgement", role="hr").json
    assert state["state"] == "accepted" and state["ip_address"] == "127.0.0.9"
    assert state["user_agent"] == "TestBrowser/1.0" and state["responded_at"]
    assert changes() == n + 1

    # Reused: 410 on the page and on the answer; nothing changes.
    n = changes()
    assert api.get(url, role=None).status_code == 410
    r = api.post(url, {"decision": "refuse", "reason": "changed my mind"}, role=None)
    assert r.status_code == 410 and r.json["code"] == 410
    assert changes() == n and api.get(f"/assignments/{out['id']}/acknowledgement").json["state"] == "accepted"

    # A newer link replaces an older pending one; refusing by the form records the reason.
    old = api.post(f"/assignments/{out['id']}/acknowledgement", role="it").json["url"]
    new = api.post(f"/assignments/{out['id']}/acknowledgement", role="it").json["url"]
    assert api.get(old, role=None).status_code == 410
    r = api.call("POST", new, role=None, data={"decision": "refuse", "reason": "screen cracked"})
    assert r.status_code == 200 and r.mimetype == "text/html" and b"refused" in r.data
    assert api.get(f"/assignments/{out['id']}/acknowledgement").json["reason"] == "screen cracked"

    # Expired: 410.
    app.config["ACKNOWLEDGEMENT_DAYS"] = 0
    try:
        expired = api.post(f"/assignments/{out['id']}/acknowledgement", role="it").json["url"]
    finally:
        app.config.pop("ACKNOWLEDGEMENT_DAYS")
    assert api.get(f"/assignments/{out['id']}/acknowledgement").json["state"] == "expired"
    assert api.get(expired, role=None).status_code == 410
    assert api.post(expired, {"decision": "accept"}, role=None).status_code == 410
    assert api.get("/acknowledgements/ack_nonsense", role=None).status_code == 404

    # Returned equipment cannot be acknowledged any more.
    fresh = api.post(f"/assignments/{out['id']}/acknowledgement", role="it").json["url"]
    api.post(f"/assets/{asset.id}/checkin", {}, role="it")
    assert api.get(fresh, role=None).status_code == 410
    assert api.post(f"/assignments/{out['id']}/acknowledgement", role="it").status_code == 409


@pytest.mark.parametrize("missing", [99999, 0, 2**63])
def test_unknown_onboardings_kits_and_assignments_are_404_and_change_nothing(api, missing):
    kit, models = engineer_kit(api)
    hire, laptop = create_employee(), create_asset(model_id=models["big"])
    case = api.post(f"/employees/{hire.id}/onboarding", {"kit_id": kit["id"]}, role="hr").json
    line_id, base = case["lines"][0]["id"], f"/onboardings/{case['id']}"
    n = changes()
    before = [api.get(p).json for p in (base, f"/kits/{kit['id']}", f"/assets/{laptop.id}")]
    gone = f"/onboardings/{missing}"
    calls = [
        ("GET", gone, None, "hr"), ("POST", f"{gone}/cancel", {"reason": "did not join"}, "hr"),
        ("GET", f"{gone}/lines/{line_id}/candidates", None, "it"),
        ("POST", f"{gone}/lines/{line_id}/fulfil", {"asset_id": laptop.id}, "it"),
        ("GET", f"{base}/lines/{missing}/candidates", None, "it"),
        ("POST", f"{base}/lines/{missing}/fulfil", {"asset_id": laptop.id}, "it"),
        ("GET", f"/employees/{missing}/onboarding", None, "hr"),
        ("GET", f"/kits/{missing}", None, "hr"), ("PATCH", f"/kits/{missing}", {"name": "Renamed"}, "it"),
        ("DELETE", f"/kits/{missing}", None, "it"),
        ("GET", f"/assignments/{missing}/acknowledgement", None, "hr"),
        ("POST", f"/assignments/{missing}/acknowledgement", None, "hr"),
    ]
    assert_all_not_found(api, calls, missing)
    assert changes() == n
    assert [api.get(p).json for p in (base, f"/kits/{kit['id']}", f"/assets/{laptop.id}")] == before
