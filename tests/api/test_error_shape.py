"""The one JSON error shape at the edges: unexpected exceptions, database integrity errors, 405 and unknown
paths; and the request id a client sends is the one the change log keeps."""

import logging

import pytest

from inventory.extensions import db
from inventory.models import Change, Department
from tests.factories import CTX, create_asset


def assert_shape(r, code, status):
    assert r.status_code == code, r.get_data(as_text=True)
    assert r.mimetype == "application/json", r.get_data(as_text=True)
    assert set(r.json) <= {"code", "status", "message", "errors"}
    assert (r.json["code"], r.json["status"]) == (code, status) and r.json["message"]
    assert r.headers["X-Request-ID"]


@pytest.fixture
def boom_app(app, database_url):
    """A second app on the test database with routes that fail the ways a bug would."""
    from inventory import create_app

    other = create_app({"DATABASE_URL": database_url, "TESTING": True})

    @other.get("/api/v1/test-boom")
    def _boom():
        raise RuntimeError("secret internals")

    @other.post("/api/v1/test-duplicate")
    def _duplicate():
        for _ in range(2):  # the unique name, twice: the database itself refuses the second
            db.session.add(Department(name="Twice"))
        db.session.flush()
        raise AssertionError("the flush above must raise IntegrityError")

    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_unexpected_exception_is_the_json_500_shape_without_internals(boom_app, tokens, caplog):
    other = boom_app
    with caplog.at_level(logging.ERROR, logger="inventory.errors"):
        r = other.test_client().get("/api/v1/test-boom", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert_shape(r, 500, "Internal Server Error")
    assert "secret internals" not in r.get_data(as_text=True) and "Traceback" not in r.get_data(as_text=True)
    assert "secret internals" in caplog.text  # logged for whoever runs the server


def test_a_database_integrity_error_is_a_409_json_and_nothing_is_kept(boom_app, tokens):
    other = boom_app
    before = db.session.query(Change).count()
    r = other.test_client().post("/api/v1/test-duplicate", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert_shape(r, 409, "Conflict")
    assert "conflicts with existing data" in r.json["message"]
    db.session.rollback()
    assert db.session.query(Department).count() == 0 and db.session.query(Change).count() == before


def test_a_department_a_kit_names_is_refused_with_a_clear_409(api):
    """The foreign key (RESTRICT) would refuse it anyway; the service names the reason first."""
    from inventory.services import kits, organisation

    dept = organisation.save_department({"name": "Engineering"}, CTX)
    kits.save_kit({"name": "Engineer", "department_id": dept.id, "lines": [{"kind": "computer"}]}, CTX)
    db.session.commit()
    _delete_refused(api, f"/departments/{dept.id}", "Kits name this department")


def test_an_employee_with_an_onboarding_case_is_refused_with_a_clear_409(api):
    from inventory.services import kits, organisation

    emp = organisation.save_employee({"employee_number": "E-77", "name": "New Hire", "email": "nh@example.com"}, CTX)
    kit = kits.save_kit({"name": "Basic", "lines": [{"kind": "phone"}]}, CTX)
    db.session.commit()
    assert api.post(f"/employees/{emp.id}/onboarding", json={"kit_id": kit.id}).status_code == 201
    _delete_refused(api, f"/employees/{emp.id}", "onboarding case")


def _delete_refused(api, path, says):
    """DELETE path is a 409 in the one shape that says why; the record is still there and nothing was logged."""
    before = db.session.query(Change).count()
    r = api.delete(path)
    assert_shape(r, 409, "Conflict")
    assert says in r.json["message"]
    assert api.get(path).status_code == 200
    assert db.session.query(Change).count() == before


@pytest.mark.parametrize("method, path, allowed", [
    ("PUT", "/assets", {"GET", "POST"}),
    ("DELETE", "/assets", {"GET", "POST"}),
    ("PUT", "/assets/1", {"GET", "PATCH", "DELETE"}),
    ("GET", "/assets/1/checkout", {"POST"}),
    ("POST", "/changes", {"GET"}),
])
def test_405_is_json_and_says_what_is_allowed(api, method, path, allowed):
    r = api.call(method, path)
    assert_shape(r, 405, "Method Not Allowed")
    assert allowed <= {m.strip() for m in r.headers["Allow"].split(",")}, r.headers["Allow"]
    assert method not in {m.strip() for m in r.headers["Allow"].split(",")}


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/api/v1/assets/1/nowhere", "/api/v2/assets", "/api/v1/"])
def test_an_unknown_api_path_is_a_json_404(api, path):
    assert_shape(api.get(path), 404, "Not Found")


def test_the_clients_request_id_reaches_the_change_log(api):
    r = api.post("/assets", {"kind": "computer"}, headers={"X-Request-ID": "ticket-4711.step:2"})
    assert r.status_code == 201 and r.headers["X-Request-ID"] == "ticket-4711.step:2"
    change = db.session.query(Change).filter_by(object_type="asset", object_id=r.json["id"]).one()
    assert change.request_id == "ticket-4711.step:2"
    a = create_asset()
    r = api.patch(f"/assets/{a.id}", {"notes": "x"}, headers={"X-Request-ID": "bad id with spaces"})
    rid = r.headers["X-Request-ID"]
    assert r.status_code == 200 and rid and rid != "bad id with spaces"  # replaced by a generated one
    change = db.session.query(Change).filter_by(object_id=a.id, action="update").one()
    assert change.request_id == rid
    history = api.get("/changes", query_string={"object_type": "asset", "object_id": a.id}).json["items"]
    assert history[0]["request_id"] == rid
