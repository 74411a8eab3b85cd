"""Checkout and checkin: the rules, the history, and what a refusal leaves behind."""

from datetime import date, timedelta

from inventory.extensions import db
from inventory.models import Assignment, Change
from tests.factories import create_asset, create_employee


def test_checkout_checkin_round_trip_with_history(api):
    emp = create_employee(name="Ada")
    asset = create_asset()
    due = (date.today() + timedelta(days=30)).isoformat()
    r = api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id, "due_back": due, "note": "new hire"}, role="it")
    assert r.status_code == 201, r.json
    assert r.json["employee_id"] == emp.id and r.json["due_back"] == due and r.json["checked_in_at"] is None
    assert r.json["checked_out_by"] == "token:test-it"
    got = api.get(f"/assets/{asset.id}").json
    assert got["status"] == "deployed" and got["assigned_to"] == emp.id
    assert [a["id"] for a in api.get(f"/employees/{emp.id}/assets").json["items"]] == [asset.id]

    r = api.post(f"/assets/{asset.id}/checkin", {"condition": "scratched", "status": "in_repair"}, role="it")
    assert r.status_code == 200, r.json
    assert r.json["condition"] == "scratched" and r.json["checked_in_at"] is not None
    got = api.get(f"/assets/{asset.id}").json
    assert got["status"] == "in_repair" and got["assigned_to"] is None
    assert api.get(f"/employees/{emp.id}/assets").json["items"] == []

    history = api.get(f"/assets/{asset.id}/history").json["items"]
    assert [h["action"] for h in history] == ["checkin", "checkout", "create"]
    assert history[1]["after"]["assigned_to"] == emp.id and history[1]["after"]["employee_name"] == "Ada"
    assert history[0]["after"]["condition"] == "scratched"
    held = api.get(f"/employees/{emp.id}/assignments").json["items"]
    assert len(held) == 1 and held[0]["condition"] == "scratched"
    assert len(api.get(f"/assets/{asset.id}/assignments").json["items"]) == 1


def _state():
    return db.session.query(Assignment).count(), db.session.query(Change).count()


def test_refusals_change_nothing(api):
    ada, bob = create_employee(), create_employee()
    left = create_employee(status="left")
    out, retired = create_asset(), create_asset(status="retired")
    api.post(f"/assets/{out.id}/checkout", {"employee_id": ada.id})
    before = _state()
    cases = [
        (f"/assets/{out.id}/checkout", {"employee_id": bob.id}, 409, "already checked out"),
        (f"/assets/{retired.id}/checkout", {"employee_id": bob.id}, 409, "retired"),
        (f"/assets/{retired.id}/checkout", {"employee_id": left.id}, 409, "left"),
        (f"/assets/{retired.id}/checkin", {}, 409, "not checked out"),
        (f"/assets/{out.id}/checkout", {"employee_id": 9999}, 422, "employee"),
        (f"/assets/{out.id}/checkout", {}, 422, "Invalid"),
        (f"/assets/{out.id}/checkout", {"employee_id": bob.id, "due_back": "2001-01-01"}, 422, "Invalid"),
        (f"/assets/{out.id}/checkin", {"status": "deployed"}, 422, "Invalid"),
    ]
    for path, body, status, words in cases:
        r = api.post(path, body)
        assert r.status_code == status, (path, body, r.json)
        assert words.lower() in (r.json["message"] + str(r.json.get("errors", ""))).lower(), r.json
    assert _state() == before
    assert api.get(f"/assets/{out.id}").json["assigned_to"] == ada.id


def test_hr_and_auditor_cannot_check_out(api):
    emp, asset = create_employee(), create_asset()
    for role in ("hr", "auditor", "scanner"):
        assert api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id}, role=role).status_code == 403
    assert api.get(f"/assets/{asset.id}").json["status"] == "in_stock"


def test_employee_holding_equipment_cannot_be_deleted(api):
    emp, asset = create_employee(), create_asset()
    api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id})
    r = api.delete(f"/employees/{emp.id}")
    assert r.status_code == 409 and "holds equipment" in r.json["message"]
    api.post(f"/assets/{asset.id}/checkin", {})
    r = api.delete(f"/employees/{emp.id}")
    assert r.status_code == 409 and "history" in r.json["message"]
    assert api.get(f"/employees/{emp.id}").status_code == 200


def test_a_checkout_can_ask_for_acknowledgement_and_shows_its_state(api):
    from tests.factories import create_asset, create_employee

    emp, asset, other = create_employee(name="Ada"), create_asset(), create_asset()
    r = api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id, "require_acknowledgement": True}, role="it")
    assert r.status_code == 201, r.json
    assert r.json["acknowledgement"] == "pending" and r.json["acknowledgement_link"].startswith(
        "/api/v1/acknowledgements/ack_")
    plain = api.post(f"/assets/{other.id}/checkout", {"employee_id": emp.id}, role="it").json
    assert (plain["acknowledgement"], plain["acknowledgement_link"]) == ("not_requested", None)
    answered = api.post(r.json["acknowledgement_link"], {"decision": "accept"}, role=None)
    assert answered.status_code == 200, answered.json
    history = api.get(f"/employees/{emp.id}/assignments", role="hr").json["items"]
    assert {(h["asset_id"], h["acknowledgement"]) for h in history} == {(asset.id, "accepted"),
                                                                      (other.id, "not_requested")}
    assert all(h["acknowledgement_link"] is None for h in history)  # the link is shown once, at checkout
    assert api.post(r.json["acknowledgement_link"], {"decision": "refuse", "reason": "x"}, role=None).status_code == 410
