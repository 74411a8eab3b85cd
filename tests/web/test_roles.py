"""Every page and form is in the central role table; each role gets exactly what the table allows."""

import re
from datetime import UTC, date, datetime

import pytest

from inventory.auth import POLICY, PUBLIC_ENDPOINTS
from inventory.extensions import db
from inventory.models import Asset, Assignment, AssignmentSuggestion, Change
from tests.factories import create_asset, create_employee
from tests.web.conftest import WEB_ROLES


def _web_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "web":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_page_is_public_or_in_the_policy_table(app):
    blueprints = {rule.endpoint.rsplit(".", 1)[0] for rule, _ in _web_rules(app) if rule.endpoint not in PUBLIC_ENDPOINTS}
    assert {"web.assets", "web.asset_edit", "web.triage", "web.people", "web.catalogue", "web.home", "web.cases",
            "web.case_lines"} <= blueprints
    assert blueprints <= set(POLICY), f"pages outside the policy table: {blueprints - set(POLICY)}"


@pytest.fixture
def objects(api):
    """One of each thing a page URL names: an asset, an employee, a triage item."""
    asset = create_asset(serial_number="SN-ROLES", hostname="lt-roles")
    person = create_employee()
    body = {"source": "nmap", "scanner": "scan-hq", "scan_id": "s1", "batch": 0, "complete": False, "scope": [],
            "started_at": datetime.now(UTC).isoformat(), "finished_at": datetime.now(UTC).isoformat(),
            "observations": [{"ip_addresses": ["10.213.0.9"], "macs": ["00:14:22:01:23:99"]}]}
    assert api.post("/observations", body, role="scanner").status_code == 200
    item = api.get("/triage", role="it").json["items"][0]["id"]
    suggestion = AssignmentSuggestion(asset_id=asset.id, employee_id=person.id, evidence={"days_seen": 3})
    db.session.add(suggestion)
    db.session.commit()
    return {"asset_id": asset.id, "employee_id": person.id, "item_id": item, "suggestion_id": suggestion.id,
            **_cases(api, person)}


def _cases(api, person):
    """An open onboarding case for the person, and another employee's cleared offboarding case (its receipt)."""
    kit = api.post("/kits", {"name": "Roles kit", "lines": [{"kind": "computer"}]}, role="it").json
    onboarding = api.post(f"/employees/{person.id}/onboarding", {"kit_id": kit["id"]}, role="hr").json
    leaver = create_employee()
    case = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    assert api.post(f"/offboardings/{case['id']}/clearance", {}, role="hr").status_code == 200
    return {"onboarding_id": onboarding["id"], "line_id": onboarding["lines"][0]["id"], "offboarding_id": case["id"]}


def _path(rule, objects):
    return re.sub(r"<(?:int:)?([^>]+)>", lambda m: str(objects.get(m.group(1), "x.css")), rule.rule)


def _state():
    db.session.rollback()
    return (db.session.query(Change).count(), db.session.query(Assignment).count(),
            [(a.hostname, a.status) for a in db.session.query(Asset).order_by(Asset.id)])


def test_signed_out_visitors_are_sent_to_sign_in(app, web, objects):
    checked = 0
    for rule, method in _web_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = _path(rule, objects)
        r = web.get(path) if method == "GET" else web.post(path, {})
        if method == "GET":
            assert r.status_code == 302 and "/signin?next=" in r.headers["Location"], (path, r.status_code)
        else:
            assert r.status_code == 401, (method, path, r.status_code)
        checked += 1
    assert checked >= 15


def test_each_role_sees_and_does_only_what_the_table_allows(app, signed_in, objects):
    clients = {role: signed_in(role) for role in WEB_ROLES}
    before = _state()
    gets = posts = 0
    for rule, method in _web_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = _path(rule, objects)
        read_roles, write_roles = POLICY[rule.endpoint.rsplit(".", 1)[0]]
        for role, client in clients.items():
            if method == "GET":
                r = client.get(path)
                expected = 200 if role in read_roles else 403
                assert r.status_code == expected, (role, path, r.status_code)
                gets += 1
            elif role not in write_roles:
                client.get("/")  # a valid CSRF token: the refusal must come from the role check
                r = client.post(path, {"hostname": "changed", "employee_id": str(objects["employee_id"]),
                                       "name": "New", "reason": "x"})
                assert r.status_code == 403, (role, method, path, r.status_code)
                assert b"Not allowed" in r.data
                posts += 1
    assert gets >= 30 and posts >= 10
    assert _state() == before, "a refused request changed something"
