"""The per-endpoint matrix, table-driven: unknown ids are 404 in the one error shape, bad bodies are 422 naming
the field, deletes and patches work, and a refused request leaves lists and records exactly as they were."""

import time
from datetime import timedelta

import pytest

from inventory.extensions import db
from inventory.models import Change
from tests.factories import create_asset, create_employee, create_model

MISSING = 424242
PLAIN = ["employees", "departments", "locations", "manufacturers"]


def changes():
    return db.session.query(Change).count()


def assert_404(r):
    assert r.status_code == 404, r.json
    assert set(r.json) == {"code", "status", "message"}
    assert (r.json["code"], r.json["status"]) == (404, "Not Found") and str(MISSING) in r.json["message"]


@pytest.mark.parametrize("resource", PLAIN)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_id_is_404_and_writes_nothing(api, resource, method):
    before = changes()
    assert_404(api.call(method, f"/{resource}/{MISSING}", **({"json": {"name": "x"}} if method == "PATCH" else {})))
    assert changes() == before


@pytest.mark.parametrize("method, path, body", [
    ("POST", f"/assets/{MISSING}/checkin", {}),
    ("POST", f"/assets/{MISSING}/transfer", {"employee_id": "EMPLOYEE"}),
    ("GET", f"/assets/{MISSING}/assignments", None),
    ("GET", f"/employees/{MISSING}/assets", None),
    ("GET", f"/employees/{MISSING}/assignments", None),
])
def test_unknown_asset_or_employee_on_sub_resources_is_404(api, method, path, body):
    emp = create_employee()  # a real employee: the asset is what is missing
    body = {k: emp.id if v == "EMPLOYEE" else v for k, v in body.items()} if body is not None else None
    before = changes()
    assert_404(api.call(method, path, **({"json": body} if body is not None else {})))
    assert changes() == before


@pytest.mark.parametrize("method, resource, payload, field", [
    ("POST", "departments", {}, "name"),
    ("POST", "departments", {"name": ""}, "name"),
    ("POST", "departments", {"name": "x" * 101}, "name"),
    ("POST", "departments", {"name": "Ops", "bogus": 1}, "bogus"),
    ("PATCH", "departments", {"name": None}, "name"),
    ("POST", "manufacturers", {}, "name"),
    ("POST", "manufacturers", {"name": "  "}, "name"),
    ("POST", "manufacturers", {"name": "Acme", "notes": "n" * 2001}, "notes"),
    ("PATCH", "manufacturers", {"name": ""}, "name"),
    ("PATCH", "employees", {"email": "not-an-email"}, "email"),
    ("PATCH", "employees", {"status": "fired"}, "status"),
    ("PATCH", "employees", {"name": ""}, "name"),
    ("PATCH", "employees", {"department_id": MISSING}, "department_id"),
    ("PATCH", "employees", {"start_date": "2024-05-01", "end_date": "2024-01-01"}, "end_date"),
    ("PATCH", "locations", {"kind": "planet"}, "kind"),
])
def test_bad_body_is_422_naming_the_field_and_changes_nothing(api, method, resource, payload, field):
    existing = _make(api, resource)
    path = f"/{resource}" if method == "POST" else f"/{resource}/{existing['id']}"
    listed, before = api.get(f"/{resource}").json, changes()
    r = api.call(method, path, json=payload)
    assert r.status_code == 422, r.json
    assert (r.json["code"], r.json["status"]) == (422, "Unprocessable Entity")
    assert field in r.json["errors"].get("json", r.json["errors"]), r.json
    assert api.get(f"/{resource}").json == listed and changes() == before
    assert api.get(f"/{resource}/{existing['id']}").json == existing


def _make(api, resource):
    body = {"employees": {"employee_number": "E1", "name": "Ada", "email": "ada@example.com"},
            "departments": {"name": "Engineering"}, "locations": {"name": "HQ", "kind": "site"},
            "manufacturers": {"name": "Lenovo"}}[resource]
    r = api.post(f"/{resource}", body)
    assert r.status_code == 201, r.json
    return r.json


@pytest.mark.parametrize("resource", PLAIN)
def test_delete_of_an_unreferenced_record(api, resource):
    obj = _make(api, resource)
    assert api.delete(f"/{resource}/{obj['id']}").status_code == 204
    assert_404(api.get(f"/{resource}/{MISSING}"))
    assert api.get(f"/{resource}/{obj['id']}").status_code == 404
    assert api.get(f"/{resource}").json["items"] == []
    change = db.session.query(Change).filter_by(action="delete").one()
    assert change.object_id == obj["id"] and change.before["id"] == obj["id"] and change.after is None


@pytest.mark.parametrize("resource, patch", [
    ("departments", {"name": "Platform", "cost_center": "CC-9"}),
    ("manufacturers", {"name": "Lenovo Group", "notes": "laptops"}),
])
def test_patch_changes_what_is_sent_and_logs_it(api, resource, patch):
    obj = _make(api, resource)
    r = api.patch(f"/{resource}/{obj['id']}", patch, role="it")
    assert r.status_code == 200, r.json
    assert {k: r.json[k] for k in patch} == patch
    assert api.get(f"/{resource}/{obj['id']}").json == r.json
    change = db.session.query(Change).filter_by(action="update").one()
    assert {k: change.after[k] for k in patch} == patch and change.actor == "token:test-it"


@pytest.mark.parametrize("resource, refused", [
    ("departments", [("POST", None, {"name": "Engineering"}, 409), ("POST", None, {"name": "Ops"}, 403),
                     ("DELETE", "held", None, 409), ("PATCH", "self", {"name": "x" * 101}, 422)]),
    ("locations", [("POST", None, {"name": "HQ", "kind": "site"}, 409), ("DELETE", "held", None, 409),
                   ("POST", None, {"name": "Room", "parent_id": MISSING}, 422), ("PATCH", "self", {"kind": "x"}, 422),
                   ("POST", None, {"name": "Ops"}, 403)]),
    ("manufacturers", [("POST", None, {"name": "LENOVO"}, 409), ("DELETE", "held", None, 409),
                       ("PATCH", "self", {"name": ""}, 422), ("POST", None, {"name": "Ops"}, 403)]),
    ("models", [("POST", None, {"name": "T14", "kind": "computer"}, 422), ("DELETE", "held", None, 409),
                ("POST", "dup", None, 409), ("PATCH", "self", {"kind": "toaster"}, 422),
                ("POST", None, {"name": "Ops"}, 403)]),
])
def test_refused_requests_on_organisation_and_catalogue_change_nothing(api, resource, refused):
    obj = _referenced(api, resource)
    for method, target, body, status in refused:
        snapshot = {p: api.get(p).json for p in (f"/{resource}", f"/{resource}/{obj['id']}")}
        before = changes()
        path = f"/{resource}/{obj['id']}" if target in ("self", "held") else f"/{resource}"
        if target == "dup":
            body = {k: obj[k] for k in ("manufacturer_id", "name", "kind")}
        r = api.call(method, path, role="hr" if status == 403 else "admin",
                     **({"json": body} if body is not None else {}))
        assert r.status_code == status, (method, body, r.json)
        assert r.json["code"] == status and "message" in r.json
        assert {p: api.get(p).json for p in snapshot} == snapshot, (method, body)
        assert changes() == before


def _referenced(api, resource):
    """A record of the resource that something refers to, so that deleting it is refused."""
    if resource == "departments":
        obj = _make(api, "departments")
        create_employee(department_id=obj["id"])
    elif resource == "locations":
        obj = _make(api, "locations")
        create_asset(location_id=obj["id"])
    elif resource == "manufacturers":
        obj = _make(api, "manufacturers")
        api.post("/models", {"manufacturer_id": obj["id"], "name": "T14", "kind": "computer"})
    else:
        model = create_model("Lenovo", "T14")
        create_asset(model_id=model.id)
        obj = api.get(f"/models/{model.id}").json
    return obj


def test_changes_since_and_until_return_the_rows_in_the_window(api):
    """since is inclusive, until exclusive; the times are the rows' own, read back from the log."""
    made = []
    for _ in range(3):
        made.append(create_asset().id)
        time.sleep(0.02)
    at = {c.object_id: c.created_at for c in db.session.query(Change).filter_by(object_type="asset")}
    t_a, t_b, t_c = (at[i] for i in made)
    assert t_a < t_b < t_c

    def window(**args):
        r = api.get("/changes", query_string={"object_type": "asset", **{k: v.isoformat() for k, v in args.items()}}, role="auditor")
        assert r.status_code == 200, r.json
        return [x["object_id"] for x in r.json["items"]]

    assert window(since=t_b) == [made[2], made[1]]
    assert window(until=t_b) == [made[0]]
    assert window(since=t_b, until=t_c) == [made[1]]
    assert window(since=t_a, until=t_c + timedelta(seconds=1)) == made[::-1]
    assert window(since=t_c + timedelta(seconds=1)) == []
    assert api.get("/changes", query_string={"until": "2026-13-01"}).status_code == 422
