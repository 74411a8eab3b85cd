"""create_* helpers that write through the services, as the API would."""

import itertools

from inventory.extensions import db
from inventory.services import assets, catalogue, organisation
from inventory.services.context import Context

CTX = Context("test")
_seq = itertools.count(1)


def create_employee(**kw):
    n = next(_seq)
    data = {"employee_number": f"T{n:05d}", "name": f"Person {n}", "email": f"person{n}@example.com", **kw}
    emp = organisation.save_employee(data, CTX)
    db.session.commit()
    return emp


def create_model(manufacturer="Dell Inc.", name="Latitude 7440", kind="computer"):
    model = catalogue.model_by_name(manufacturer, name, kind, CTX)
    db.session.commit()
    return model


def create_asset(**kw):
    data = {"kind": "computer", **kw}
    asset = assets.create_asset(data, CTX)
    db.session.commit()
    return asset


def assert_all_not_found(api, calls, missing):
    """Each (method, path, body, role) answers a JSON 404 in the one shape that names the missing id."""
    for method, path, body, role in calls:
        r = api.call(method, path, role, json=body)
        assert r.status_code == 404 and r.is_json, (method, path, r.status_code, r.data[:200])
        assert r.json["code"] == 404 and r.json["status"] == "Not Found" and str(missing) in r.json["message"], (
            path, r.json)
