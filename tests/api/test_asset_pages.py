"""The asset list's pages (one statement on the DBAPI cursor) give what the schema documents, page after page."""

from inventory.extensions import db
from inventory.models import Asset
from inventory.schemas.asset import AssetSchema
from tests.factories import create_asset, create_employee


def _expected(asset_id: int, holder: int | None) -> dict:
    db.session.rollback()
    orm = db.session.get(Asset, asset_id)
    orm.assigned_to = holder
    return AssetSchema().dump(orm)


def test_pages_hold_every_asset_once_with_its_interfaces_and_holder(api):
    emp = create_employee()
    made = [
        create_asset(kind="computer", hostname="two-nics", interfaces=[
            {"mac": "00:14:22:00:00:02", "name": "eth1", "ip_addresses": ["10.0.0.2"]},
            {"mac": "00:14:22:00:00:01", "name": "eth0", "ip_addresses": []}]),
        create_asset(kind="phone"),
        create_asset(kind="computer", custom_fields={"a": [1, {"b": None}]}, notes="x"),
        create_asset(kind="computer", interfaces=[{"mac": None, "name": None, "ip_addresses": []}]),
        create_asset(kind="peripheral"),
    ]
    ids = [a.id for a in made]
    assert api.post(f"/assets/{ids[2]}/checkout", {"employee_id": emp.id}).status_code == 201
    expected = [_expected(i, emp.id if i == ids[2] else None) for i in ids]
    assert [i["mac"] for i in expected[0]["interfaces"]] == ["00:14:22:00:00:02", "00:14:22:00:00:01"]

    seen, cursor, pages = [], None, 0
    while True:
        r = api.get("/assets?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status_code == 200
        seen += r.json["items"]
        pages += 1
        cursor = r.json["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == expected
    # Plain filters and the others (here: assigned) run different code paths: the same items either way.
    computers = [e for e in expected if e["kind"] == "computer"]
    assert api.get("/assets?kind=computer&limit=2").json["items"] == computers[:2]
    assert api.get("/assets?kind=computer&assigned=true").json["items"] == [expected[2]]
    assert api.get("/assets?kind=computer&assigned=false").json["items"] == [computers[0], computers[2]]
    assert api.get(f"/assets?assigned_to={emp.id}").json["items"] == [expected[2]]
    assert api.get(f"/assets/{ids[0]}").json["interfaces"] == expected[0]["interfaces"]


def test_ids_and_cursors_out_of_range_are_refused_not_failed(api):
    create_asset(kind="computer")
    from inventory.services.pagination import encode_cursor

    for path in (f"/assets/{2**40}", f"/assets?cursor={encode_cursor(2**40)}", f"/assets?cursor={encode_cursor(2**62)}"):
        r = api.get(path)
        assert r.status_code in (200, 400, 404), (path, r.status_code)
        assert r.status_code == 200 or r.json["code"] == r.status_code
    assert api.get("/assets?cursor=bm9wZQ").status_code == 400
    assert api.get("/assets?limit=50&unknown=1").status_code == 422
