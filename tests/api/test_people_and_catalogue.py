"""Employees, departments, locations, manufacturers and models over the API."""

import pytest

from inventory.extensions import db
from inventory.models import Change, Employee
from tests.factories import create_asset, create_employee, create_model


def test_employee_crud_and_hr_may_manage_people(api):
    dept = api.post("/departments", {"name": "Engineering"}).json
    r = api.post("/employees", {"employee_number": "E1", "name": "Ada Lovelace", "email": "Ada@Example.com",
                                "department_id": dept["id"], "start_date": "2024-01-15"}, role="hr")
    assert r.status_code == 201, r.json
    emp = r.json
    assert emp["email"] == "ada@example.com" and emp["status"] == "active"
    r = api.patch(f"/employees/{emp['id']}", {"job_title": "Engineer"}, role="hr")
    assert r.status_code == 200 and r.json["job_title"] == "Engineer"
    assert [e["id"] for e in api.get("/employees?q=lovelace", role="auditor").json["items"]] == [emp["id"]]
    assert [e["id"] for e in api.get(f"/employees?department_id={dept['id']}").json["items"]] == [emp["id"]]
    assert api.get("/employees?email=ADA@example.com").json["items"][0]["id"] == emp["id"]


@pytest.mark.parametrize("payload, status, field", [
    ({"employee_number": "E1", "name": "Other", "email": "x@example.com"}, 409, "employee_number"),
    ({"employee_number": "E2", "name": "Other", "email": "ADA@example.com"}, 409, "email"),
    ({"employee_number": "E2", "name": "Other", "email": "not-an-email"}, 422, "email"),
    ({"employee_number": "E2", "name": "Other", "email": "o@example.com", "department_id": 77}, 422, "department_id"),
    ({"employee_number": "E2", "name": "Other", "email": "o@example.com", "start_date": "2024-05-01",
      "end_date": "2024-01-01"}, 422, "end_date"),
    ({"employee_number": "E2", "name": "Other", "email": "o@example.com", "status": "fired"}, 422, "status"),
])
def test_bad_employee_refused(api, payload, status, field):
    create_employee(employee_number="E1", email="ada@example.com")
    before = db.session.query(Change).count()
    r = api.post("/employees", payload)
    assert r.status_code == status, r.json
    errors = r.json["errors"].get("json", r.json["errors"])
    assert field in errors
    assert db.session.query(Employee).count() == 1 and db.session.query(Change).count() == before


def test_locations_nest_and_refuse_cycles_and_referenced_deletes(api):
    site = api.post("/locations", {"name": "HQ", "kind": "site"}).json
    bld = api.post("/locations", {"name": "A", "kind": "building", "parent_id": site["id"]}).json
    room = api.post("/locations", {"name": "101", "kind": "room", "parent_id": bld["id"]}).json
    assert api.post("/locations", {"name": "A", "kind": "building", "parent_id": site["id"]}).status_code == 409
    r = api.patch(f"/locations/{site['id']}", {"parent_id": room["id"]})
    assert r.status_code == 422 and "parent_id" in r.json["errors"]
    assert [x["id"] for x in api.get(f"/locations?parent_id={site['id']}").json["items"]] == [bld["id"]]
    assert api.delete(f"/locations/{bld['id']}").status_code == 409
    create_asset(location_id=room["id"])
    assert api.delete(f"/locations/{room['id']}").status_code == 409
    assert api.post("/locations", {"name": "X", "parent_id": 999}).status_code == 422


def test_departments_and_roles(api):
    assert api.post("/departments", {"name": "Ops"}, role="hr").status_code == 403
    d = api.post("/departments", {"name": "Ops"}, role="it").json
    assert api.post("/departments", {"name": "Ops"}).status_code == 409
    create_employee(department_id=d["id"])
    assert api.delete(f"/departments/{d['id']}").status_code == 409
    assert api.get("/departments", role="hr").status_code == 200


def test_catalogue(api):
    man = api.post("/manufacturers", {"name": "Lenovo"}).json
    assert api.post("/manufacturers", {"name": "LENOVO"}).status_code == 409
    m = api.post("/models", {"manufacturer_id": man["id"], "name": "ThinkPad T14", "kind": "computer",
                             "specs": {"memory_gb": 16}}).json
    assert m["specs"] == {"memory_gb": 16}
    assert api.post("/models", {"manufacturer_id": man["id"], "name": "ThinkPad T14", "kind": "computer"}
                    ).status_code == 409
    assert api.post("/models", {"manufacturer_id": 999, "name": "X", "kind": "computer"}).status_code == 422
    assert [x["id"] for x in api.get(f"/models?manufacturer_id={man['id']}").json["items"]] == [m["id"]]
    create_asset(model_id=m["id"], serial_number="PF123")
    assert api.delete(f"/models/{m['id']}").status_code == 409
    assert api.delete(f"/manufacturers/{man['id']}").status_code == 409
    unused = create_model("Acme", "Widget", "peripheral")
    assert api.delete(f"/models/{unused.id}").status_code == 204
    assert api.get(f"/models/{unused.id}").status_code == 404


def test_changes_filter_by_object_and_actor(api):
    a = create_asset()
    api.patch(f"/assets/{a.id}", {"notes": "x"}, role="it")
    r = api.get("/changes", query_string={"object_type": "asset", "object_id": a.id}, role="auditor")
    assert [c["action"] for c in r.json["items"]] == ["update", "create"]
    r = api.get("/changes", query_string={"actor": "token:test-it"})
    assert [c["action"] for c in r.json["items"]] == ["update"]
    assert api.get("/changes?since=not-a-date").status_code == 422
