"""Assets over the API: create, read, filter, change, delete, and what bad input does."""

from datetime import UTC

import pytest

from inventory.extensions import db
from inventory.models import Asset, Change
from tests.factories import create_asset, create_employee, create_model


def count(model):
    return db.session.query(model).count()


def test_create_generates_tag_and_normalises_identifiers(api):
    model = create_model()
    r = api.post("/assets", {"kind": "computer", "model_id": model.id, "serial_number": " 5cg123abc ",
                             "hostname": "LT-Ada.corp.", "purchase_cost_cents": 129900, "currency": "EUR",
                             "interfaces": [{"mac": "AABB.CCDD.EE01", "name": "eth0", "ip_addresses": ["10.0.0.5"]}]})
    assert r.status_code == 201, r.json
    body = r.json
    assert body["asset_tag"] == f"INV-{body['id']:06d}"
    assert body["serial_number"] == "5CG123ABC"
    assert body["hostname"] == "lt-ada.corp"
    assert body["manufacturer_id"] == model.manufacturer_id
    assert body["interfaces"] == [{"mac": "aa:bb:cc:dd:ee:01", "name": "eth0", "ip_addresses": ["10.0.0.5"]}]
    assert body["status"] == "in_stock" and body["assigned_to"] is None
    assert set(body["locked_fields"]) >= {"serial_number", "hostname", "model_id", "kind"}
    got = api.get(f"/assets/{body['id']}").json
    assert {k: v for k, v in got.items() if k not in ("hardware", "software", "users_seen")} == body
    assert (got["hardware"], got["software"], got["users_seen"]) == (None, [], [])
    change = db.session.query(Change).filter_by(object_type="asset").one()
    assert (change.object_type, change.object_id, change.action, change.actor) == (
        "asset", body["id"], "create", "token:test-admin")


@pytest.mark.parametrize("payload, field", [
    ({"kind": "toaster"}, "kind"),
    ({}, "kind"),
    ({"kind": "phone", "imei": "356938035643808"}, "imei"),  # wrong check digit
    ({"kind": "computer", "interfaces": [{"mac": "not-a-mac"}]}, "interfaces"),
    ({"kind": "computer", "custom_fields": {"nested": {"a": 1}}}, "custom_fields"),
    ({"kind": "computer", "purchase_cost_cents": -5}, "purchase_cost_cents"),
    ({"kind": "computer", "currency": "euro"}, "currency"),
    ({"kind": "computer", "model_id": 999}, "model_id"),
    ({"kind": "computer", "serial_number": "To Be Filled By O.E.M."}, "serial_number"),
    ({"kind": "computer", "status": "deployed"}, "status"),
    ({"kind": "computer", "bogus": 1}, "bogus"),
])
def test_bad_asset_is_refused_with_field_errors_and_nothing_written(api, payload, field):
    changes = count(Change)
    r = api.post("/assets", payload)
    assert r.status_code == 422, r.json
    assert r.json["code"] == 422 and r.json["status"] == "Unprocessable Entity"
    errors = r.json["errors"].get("json", r.json["errors"])
    assert field in errors
    assert count(Asset) == 0 and count(Change) == changes


def test_duplicates_are_conflicts(api):
    model = create_model()
    first = api.post("/assets", {"kind": "computer", "model_id": model.id, "serial_number": "ABC123",
                                 "asset_tag": "LAP-1", "interfaces": [{"mac": "00:14:22:00:00:01"}]})
    assert first.status_code == 201
    for payload, field in [
        ({"asset_tag": "LAP-1"}, "asset_tag"),
        ({"model_id": model.id, "serial_number": "abc123"}, "serial_number"),
        ({"interfaces": [{"mac": "00-14-22-00-00-01"}]}, "interfaces"),
    ]:
        r = api.post("/assets", {"kind": "computer", **payload})
        assert r.status_code == 409, (payload, r.json)
        assert field in r.json["errors"]
    # The same serial from another manufacturer is a different device.
    other = create_model("Apple", "MacBook Air")
    assert api.post("/assets", {"kind": "computer", "model_id": other.id, "serial_number": "ABC123"}).status_code == 201
    assert count(Asset) == 2


def test_filters_and_mac_in_any_notation(api):
    phone_model = create_model("Apple", "iPhone 15", "phone")
    a = create_asset(hostname="lt-1", interfaces=[{"mac": "00:14:22:aa:bb:cc"}])
    b = create_asset(kind="phone", model_id=phone_model.id, imei="356938035643809", serial_number="F17Z")
    create_asset(kind="peripheral", status="retired")
    ids = lambda r: [x["id"] for x in r.json["items"]]  # noqa: E731
    for notation in ("00-14-22-AA-BB-CC", "0014.22aa.bbcc", "001422aabbcc", "00:14:22:aa:bb:cc"):
        assert ids(api.get("/assets", query_string={"mac": notation})) == [a.id]
    assert ids(api.get("/assets?kind=phone")) == [b.id]
    assert ids(api.get("/assets?status=retired")) != []
    assert ids(api.get("/assets?serial=f17z")) == [b.id]
    assert ids(api.get("/assets?hostname=LT-1")) == [a.id]
    assert ids(api.get("/assets?imei=356938035643809")) == [b.id]
    assert ids(api.get("/assets?q=aa:bb")) == [a.id]
    assert ids(api.get("/assets?q=F17")) == [b.id]
    assert api.get("/assets?mac=zz").status_code == 422
    assert api.get("/assets?kind=toaster").status_code == 422


def test_free_text_matches_tags_hosts_holders_and_macs(api):
    emp = create_employee(name="Grace Hopper")
    by_mac = [create_asset(interfaces=[{"mac": f"00:1b:21:0c:0f:{i:02x}"}]).id for i in range(3)]
    by_host = create_asset(hostname="cof-ws-1").id
    held = create_asset().id
    assert api.post(f"/assets/{held}/checkout", {"employee_id": emp.id}).status_code == 201
    ids = lambda q: sorted(x["id"] for x in api.get("/assets", query_string={"q": q}).json["items"])  # noqa: E731
    assert ids("0c:0f") == by_mac
    assert ids("0C-0F:01") == [by_mac[1]]
    assert ids("cof") == [by_host]  # not hex: no MAC can contain it
    assert ids("hopper") == [held]
    assert ids("nothing-like-it") == []


def test_free_text_finds_the_holder(api):
    emp = create_employee(name="Margaret Hamilton")
    a = create_asset()
    create_asset()
    assert api.post(f"/assets/{a.id}/checkout", {"employee_id": emp.id}).status_code == 201
    r = api.get("/assets?q=hamilton")
    assert [x["id"] for x in r.json["items"]] == [a.id]
    assert r.json["items"][0]["assigned_to"] == emp.id
    assert [x["id"] for x in api.get(f"/assets?assigned_to={emp.id}").json["items"]] == [a.id]
    assert len(api.get("/assets?assigned=false").json["items"]) == 1


def test_keyset_pages_walk_everything_once(api):
    made = [create_asset().id for _ in range(7)]
    seen, cursor = [], None
    while True:
        r = api.get("/assets", query_string={"limit": 3, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200
        seen += [x["id"] for x in r.json["items"]]
        cursor = r.json["next_cursor"]
        if cursor is None:
            break
    assert seen == made
    assert api.get("/assets?cursor=garbage!").status_code == 400
    assert api.get("/assets?limit=1001").status_code == 422
    assert api.get("/assets?limit=0").status_code == 422


def test_patch_changes_only_what_is_sent_and_logs_the_difference(api):
    a = create_asset(hostname="old", notes="keep")
    r = api.patch(f"/assets/{a.id}", {"hostname": "new", "custom_fields": {"floor": 3}}, role="it")
    assert r.status_code == 200, r.json
    assert r.json["hostname"] == "new" and r.json["notes"] == "keep" and r.json["custom_fields"] == {"floor": 3}
    change = db.session.query(Change).filter_by(action="update").one()
    assert change.before == {"hostname": "old", "custom_fields": {}}
    assert change.after == {"hostname": "new", "custom_fields": {"floor": 3}}
    assert change.actor == "token:test-it"


def test_patch_refused_changes_nothing(api):
    a = create_asset(hostname="same")
    before = count(Change)
    r = api.patch(f"/assets/{a.id}", {"hostname": "x", "kind": "nope"})
    assert r.status_code == 422
    r = api.patch(f"/assets/{a.id}", {"status": "deployed"})
    assert r.status_code == 409
    assert api.get(f"/assets/{a.id}").json["hostname"] == "same"
    assert count(Change) == before


def test_unknown_asset_is_404_in_the_error_shape(api):
    for r in (api.get("/assets/424242"), api.patch("/assets/424242", {"notes": "x"}), api.delete("/assets/424242"),
              api.post("/assets/424242/checkout", {"employee_id": 1}), api.get("/assets/424242/history")):
        assert r.status_code == 404
        assert r.json["code"] == 404 and r.json["status"] == "Not Found" and "424242" in r.json["message"]


def test_delete_allowed_without_history_refused_with(api):
    emp = create_employee()
    fresh, used = create_asset(), create_asset()
    api.post(f"/assets/{used.id}/checkout", {"employee_id": emp.id})
    api.post(f"/assets/{used.id}/checkin", {})
    assert api.delete(f"/assets/{fresh.id}").status_code == 204
    r = api.delete(f"/assets/{used.id}")
    assert r.status_code == 409 and "retire" in r.json["message"]
    assert api.get(f"/assets/{used.id}").status_code == 200
    assert db.session.query(Change).filter_by(action="delete").count() == 1


@pytest.mark.parametrize("role, method, status", [
    ("hr", "POST", 403), ("auditor", "POST", 403), ("scanner", "GET", 403), ("scanner", "POST", 403),
    ("hr", "GET", 200), ("auditor", "GET", 200), ("it", "POST", 201),
])
def test_roles_on_assets(api, role, method, status):
    r = api.call(method, "/assets", role, **({"json": {"kind": "computer"}} if method == "POST" else {}))
    assert r.status_code == status, r.json
    assert count(Asset) == (1 if status == 201 else 0)


def test_no_or_bad_token_is_401(api):
    assert api.get("/assets", role=None).status_code == 401
    r = api.get("/assets", role=None, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json["code"] == 401


def test_fast_asset_json_equals_the_schema_dump(api):
    """The list path skips marshmallow's dump: it must give exactly what AssetSchema documents."""
    from datetime import date

    from inventory.schemas.asset import AssetSchema, asset_json
    from inventory.services.assets import get_asset

    emp = create_employee()
    model = create_model("Apple", "iPhone 15", "phone")
    a = create_asset(kind="phone", model_id=model.id, imei="356938035643809", phone_number="+44 20 7946 0000",
                     purchase_date=date(2024, 1, 2), warranty_end=date(2027, 1, 2), purchase_cost_cents=99900,
                     currency="GBP", custom_fields={"color": "blue", "gb": 256, "esim": True}, notes="n",
                     interfaces=[{"mac": "3c:22:fb:00:00:01", "name": "wlan0", "ip_addresses": ["10.0.0.9", "fe80::1"]}])
    api.post(f"/assets/{a.id}/checkout", {"employee_id": emp.id})
    db.session.rollback()
    orm = db.session.get(Asset, a.id)
    orm.assigned_to = emp.id
    expected = AssetSchema().dump(orm)
    assert asset_json(get_asset(a.id)) == expected
    detail = api.get(f"/assets/{a.id}").json
    assert {k: detail[k] for k in expected} == expected
    assert api.get("/assets").json["items"] == [expected]


def _history_rows(asset_id):
    """One builder per kind of history an asset can have; each writes real rows for the asset."""
    from datetime import date, datetime

    from inventory.models import (
        AssetUser,
        AssignmentSuggestion,
        InstalledSoftware,
        OffboardingCase,
        OffboardingLine,
        OnboardingCase,
        OnboardingLine,
        Repair,
        Sighting,
        TriageItem,
    )
    from inventory.models.usage import AssetUserDay

    now = datetime.now(UTC)
    seen = {"source": "agent", "first_seen": now, "last_seen": now}

    return {
        "assignments": lambda api: api.post(f"/assets/{asset_id}/checkout", {"employee_id": create_employee().id}),
        "repairs": lambda api: db.session.add(Repair(asset_id=asset_id, type="repair", started=date.today(),
                                                     opened_by="test")),
        "onboarding lines": lambda api: db.session.add(OnboardingLine(
            kind="computer", asset_id=asset_id, case_id=_add(OnboardingCase(
                employee_id=create_employee().id, kit_name="k", opened_by="test")).id)),
        "offboarding lines": lambda api: db.session.add(OffboardingLine(
            kind="to_check", asset_id=asset_id, due_date=date.today(), added_by="test", case_id=_add(OffboardingCase(
                employee_id=create_employee().id, last_day=date.today(), status_before="active", opened_by="test")).id)),
        "sightings": lambda api: db.session.add(Sighting(asset_id=asset_id, ip="10.0.0.1", scanner="s", **seen)),
        "discovery triage items": lambda api: db.session.add(TriageItem(
            kind="unmatched", status="promoted", identity_key="mac:x", scanner="s", asset_id=asset_id, **seen)),
        "users seen on it": lambda api: db.session.add(AssetUser(
            asset_id=asset_id, login_key="ada", login="ADA", kind="current", last_day=date.today(), **seen)),
        "days of use": lambda api: db.session.add(AssetUserDay(
            asset_id=asset_id, login_key="ada", day=date.today(), last_seen=now)),
        "installed software": lambda api: db.session.add(InstalledSoftware(
            asset_id=asset_id, name_key="vim", name="vim", **seen)),
        "assignment suggestions": lambda api: db.session.add(AssignmentSuggestion(
            asset_id=asset_id, employee_id=create_employee().id)),
        "discovery": lambda api: setattr(db.session.get(Asset, asset_id), "first_seen_at", now),
    }


def _add(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


HISTORY_KINDS = ["assignments", "repairs", "onboarding lines", "offboarding lines", "sightings",
                 "discovery triage items", "users seen on it", "days of use", "installed software",
                 "assignment suggestions", "discovery"]


@pytest.mark.parametrize("kind", HISTORY_KINDS)
def test_an_asset_with_any_history_is_kept_retire_or_dispose_instead(api, kind):
    asset = create_asset()
    _history_rows(asset.id)[kind](api)
    db.session.commit()
    changes = count(Change)
    r = api.delete(f"/assets/{asset.id}")
    assert r.status_code == 409, r.json
    assert (r.json["code"], r.json["status"]) == (409, "Conflict")
    label = "users seen on it" if kind == "days of use" else kind
    assert "retire or dispose" in r.json["message"] and label in r.json["message"], r.json
    assert api.get(f"/assets/{asset.id}").status_code == 200
    assert count(Change) == changes


def test_an_asset_with_only_its_own_edits_may_be_deleted(api):
    """A mistake typed in, corrected, then removed: create and update rows do not make it history."""
    asset = create_asset(hostname="typo")
    assert api.patch(f"/assets/{asset.id}", {"hostname": "fixed"}).status_code == 200
    assert api.delete(f"/assets/{asset.id}").status_code == 204
    assert api.get(f"/assets/{asset.id}").status_code == 404
    assert [c.action for c in db.session.query(Change).filter_by(object_type="asset").order_by(Change.id)] == [
        "create", "update", "delete"]


def test_a_repair_changelog_event_alone_keeps_the_asset(api):
    asset = create_asset()
    r = api.post(f"/assets/{asset.id}/repairs", {"type": "repair"})
    assert r.status_code == 201, r.json
    assert api.delete(f"/assets/{asset.id}").status_code == 409


@pytest.mark.parametrize("kind", ["computer", "network_device", "peripheral"])
@pytest.mark.parametrize("field, value", [("imei", "356938035643809"), ("phone_number", "+44 20 7946 0000")])
def test_imei_and_phone_number_are_for_phones_and_mobile_devices(api, kind, field, value):
    changes = count(Change)
    r = api.post("/assets", {"kind": kind, field: value})
    assert r.status_code == 422, r.json
    assert r.json["code"] == 422 and list(r.json["errors"]) == [field]
    assert "phones and mobile devices" in r.json["errors"][field][0]
    assert count(Asset) == 0 and count(Change) == changes
    other = create_asset(kind=kind)
    r = api.patch(f"/assets/{other.id}", {field: value})
    assert r.status_code == 422 and list(r.json["errors"]) == [field]
    assert api.get(f"/assets/{other.id}").json[field] is None


@pytest.mark.parametrize("kind", ["phone", "mobile_device"])
def test_phones_and_mobile_devices_take_imei_and_number(api, kind):
    r = api.post("/assets", {"kind": kind, "imei": "356938035643809", "phone_number": "+44 20 7946 0000"})
    assert r.status_code == 201, r.json
    assert (r.json["imei"], r.json["phone_number"]) == ("356938035643809", "+44 20 7946 0000")


def test_changing_the_kind_of_a_phone_with_an_imei_is_refused_until_it_is_cleared(api):
    phone = create_asset(kind="phone", imei="356938035643809")
    changes = count(Change)
    r = api.patch(f"/assets/{phone.id}", {"kind": "computer"})
    assert r.status_code == 422 and list(r.json["errors"]) == ["imei"], r.json
    assert "clear it" in r.json["errors"]["imei"][0]
    assert api.get(f"/assets/{phone.id}").json["kind"] == "phone" and count(Change) == changes
    r = api.patch(f"/assets/{phone.id}", {"kind": "computer", "imei": None})
    assert r.status_code == 200 and (r.json["kind"], r.json["imei"]) == ("computer", None)
    assert api.patch(f"/assets/{phone.id}", {"notes": "a laptop now"}).status_code == 200


def test_csv_import_refuses_an_imei_on_a_computer_naming_line_and_field(app, tmp_path):
    f = tmp_path / "assets.csv"
    f.write_text("asset_tag,kind,imei,phone_number\n"
                 "PH-1,phone,356938035643809,+44 20 7946 0000\n"
                 "LT-1,computer,490154203237518,\n"
                 "LT-2,computer,,+44 20 7946 0001\n")
    changes = count(Change)
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["import", "assets", str(f)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "line 3" in result.output and "imei" in result.output and "line 4" in result.output, result.output
    assert "phone_number" in result.output and "line 2" not in result.output
    assert count(Asset) == 0 and count(Change) == changes
    f.write_text("asset_tag,kind,imei,phone_number\nPH-1,phone,356938035643809,+44 20 7946 0000\n"
                 "TAB-1,mobile_device,490154203237518,\n")
    result = app.test_cli_runner().invoke(args=["import", "assets", str(f)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert {a.asset_tag: a.imei for a in db.session.query(Asset)} == {"PH-1": "356938035643809",
                                                                     "TAB-1": "490154203237518"}
