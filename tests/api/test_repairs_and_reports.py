"""Repairs move asset status; HR and finance reports (exact figures) as JSON and CSV; HR's limits."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from inventory.extensions import db
from inventory.models import Change
from tests.factories import create_asset, create_employee


def changes() -> int:
    db.session.rollback()
    return db.session.query(Change).count()


def rows_of_csv(r):
    assert r.status_code == 200 and r.mimetype == "text/csv", r.data
    assert "attachment" in r.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))


def test_repairs_move_status_and_are_refused_while_checked_out(api):
    emp, asset = create_employee(), create_asset(currency="EUR")
    api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id}, role="it")
    n, before = changes(), api.get(f"/assets/{asset.id}").json
    r = api.post(f"/assets/{asset.id}/repairs", {"type": "repair", "supplier": "FixIt"}, role="it")
    assert r.status_code == 409 and "check it in first" in r.json["message"]
    assert api.post(f"/assets/{asset.id}/repairs", {"type": "repair"}, role="hr").status_code == 403
    assert changes() == n and api.get(f"/assets/{asset.id}").json == before

    api.post(f"/assets/{asset.id}/checkin", {}, role="it")
    r = api.post(f"/assets/{asset.id}/repairs", {"type": "repair", "supplier": "FixIt", "cost_cents": 12050,
                                                 "notes": "broken hinge"}, role="it")
    assert r.status_code == 201, r.json
    repair = r.json
    assert repair["state"] == "open" and repair["currency"] == "EUR" and repair["started"] == date.today().isoformat()
    assert api.get(f"/assets/{asset.id}").json["status"] == "in_repair"
    n = changes()
    assert api.post(f"/assets/{asset.id}/repairs", {"type": "inspection"}, role="it").status_code == 409
    assert api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id}, role="it").status_code == 409
    assert changes() == n

    r = api.post(f"/repairs/{repair['id']}/complete", {"cost_cents": 15000, "notes": "hinge replaced"}, role="it")
    assert r.status_code == 200, r.json
    assert r.json["state"] == "completed" and r.json["cost_cents"] == 15000 and "hinge replaced" in r.json["notes"]
    assert api.get(f"/assets/{asset.id}").json["status"] == "in_stock"
    assert api.post(f"/repairs/{repair['id']}/complete", {}, role="it").status_code == 409
    history = [h["action"] for h in api.get(f"/assets/{asset.id}/history").json["items"]]
    assert history[:2] == ["repair_completed", "repair_opened"]
    listed = api.get(f"/assets/{asset.id}/repairs", role="hr").json["items"]
    assert [(x["id"], x["type"], x["supplier"]) for x in listed] == [(repair["id"], "repair", "FixIt")]
    retired = create_asset(status="retired")
    assert api.post(f"/assets/{retired.id}/repairs", {"type": "upgrade"}, role="it").status_code == 409


def test_hr_runs_people_work_but_not_hardware_edits(api):
    asset = create_asset(serial_number="HW-1")
    n, before = changes(), api.get(f"/assets/{asset.id}").json
    for body in ({"serial_number": "HW-2"}, {"hostname": "renamed"}, {"model_id": None}):
        assert api.patch(f"/assets/{asset.id}", body, role="hr").status_code == 403
    assert api.post("/assets", {"kind": "computer"}, role="hr").status_code == 403
    assert changes() == n and api.get(f"/assets/{asset.id}").json == before
    for path in ("/reports/equipment", "/reports/outstanding-returns", "/reports/leavers-holding",
                 "/reports/depreciation", "/reports/warranties", "/offboardings", "/kits", f"/assets/{asset.id}"):
        assert api.get(path, role="hr").status_code == 200, path
    emp = create_employee()
    assert api.post(f"/employees/{emp.id}/offboarding", {"last_day": date.today().isoformat()},
                    role="auditor").status_code == 403
    assert api.get("/reports/equipment", role="scanner").status_code == 403


def test_depreciation_figures_are_exact(api):
    man = api.post("/manufacturers", {"name": "Dep Co"}, role="it").json["id"]
    laptop = api.post("/models", {"manufacturer_id": man, "name": "Book", "kind": "computer"}, role="it").json["id"]
    r = api.patch(f"/models/{laptop}", {"depreciation_months": 36, "salvage_value_cents": 10000}, role="it")
    assert r.status_code == 200 and r.json["depreciation_months"] == 36
    assert api.patch(f"/models/{laptop}", {"depreciation_months": 0}, role="it").status_code == 422
    phone = api.post("/models", {"manufacturer_id": man, "name": "Fon", "kind": "phone",
                                 "depreciation_months": 24}, role="it").json["id"]
    plain = api.post("/models", {"manufacturer_id": man, "name": "Plain", "kind": "computer"}, role="it").json["id"]
    dept = api.post("/departments", {"name": "Sales"}, role="it").json["id"]
    seller = create_employee(department_id=dept)
    as_of = date(2026, 3, 15)
    a = create_asset(model_id=laptop, purchase_date=date(2025, 3, 15), purchase_cost_cents=370000, currency="EUR")
    b = create_asset(kind="phone", model_id=phone, purchase_date=date(2025, 8, 16), purchase_cost_cents=100001,
                     currency="EUR")
    c = create_asset(model_id=laptop, purchase_date=date(2020, 1, 1), purchase_cost_cents=5000, currency="EUR")
    create_asset(model_id=plain, purchase_date=date(2025, 1, 1), purchase_cost_cents=99999)  # no period: left out
    create_asset(model_id=laptop, purchase_date=date(2025, 1, 1), purchase_cost_cents=99999, status="disposed")
    api.post(f"/assets/{b.id}/checkout", {"employee_id": seller.id}, role="it")

    r = api.get(f"/reports/depreciation?as_of={as_of}", role="hr")
    assert r.status_code == 200, r.json
    got = {row["asset_id"]: row for row in r.json["rows"]}
    assert set(got) == {a.id, b.id, c.id}
    # 12 of 36 months of (370000 - 10000): 120000 depreciated.
    assert (got[a.id]["months_elapsed"], got[a.id]["depreciation_cents"], got[a.id]["book_value_cents"]) == (
        12, 120000, 250000)
    # Aug 16 -> Mar 15 is 6 whole months; 100001 * 6 // 24 = 25000 (rounded down).
    assert (got[b.id]["months_elapsed"], got[b.id]["depreciation_cents"], got[b.id]["book_value_cents"]) == (
        6, 25000, 75001)
    assert got[b.id]["department"] == "Sales"
    # Past the period, and salvage above cost: the book value stays at the cost, never below zero.
    assert (got[c.id]["months_elapsed"], got[c.id]["book_value_cents"], got[c.id]["salvage_value_cents"]) == (
        36, 5000, 5000)

    by_dept = api.get(f"/reports/depreciation?as_of={as_of}&by=department", role="hr").json["rows"]
    assert by_dept == [
        {"department": "(in stock)", "currency": "EUR", "assets": 2, "cost_cents": 375000,
         "depreciation_cents": 120000, "book_value_cents": 255000},
        {"department": "Sales", "currency": "EUR", "assets": 1, "cost_cents": 100001, "depreciation_cents": 25000,
         "book_value_cents": 75001},
    ]
    rows = rows_of_csv(api.get(f"/reports/depreciation?as_of={as_of}&format=csv", role="hr"))
    assert [(x["asset_tag"], x["book_value_cents"]) for x in rows] == [(a.asset_tag, "250000"),
                                                                        (b.asset_tag, "75001"), (c.asset_tag, "5000")]
    assert api.get("/reports/depreciation?as_of=yesterday", role="hr").status_code == 422


def test_warranties_within_n_days(api):
    soon = create_asset(warranty_end=date.today() + timedelta(days=10))
    create_asset(warranty_end=date.today() + timedelta(days=40))
    create_asset(warranty_end=date.today() - timedelta(days=1))
    create_asset(warranty_end=date.today() + timedelta(days=5), status="disposed")
    rows = api.get("/reports/warranties?within_days=30", role="hr").json["rows"]
    assert [(x["asset_id"], x["days_left"]) for x in rows] == [(soon.id, 10)]
    assert len(api.get("/reports/warranties?within_days=45").json["rows"]) == 2
    assert api.get("/reports/warranties?within_days=-1").status_code == 422
    rows = rows_of_csv(api.get("/reports/warranties", headers={"Accept": "text/csv"}))
    assert [x["asset_tag"] for x in rows] == [soon.asset_tag]


def test_equipment_report_per_employee_and_department_with_acknowledgements_and_csv(api):
    eng = api.post("/departments", {"name": "Engineering"}, role="it").json["id"]
    ada = create_employee(name="=HYPERLINK(1)", department_id=eng)
    bob = create_employee(name="Bob", department_id=eng)
    loose = create_employee(name="Nodept")
    assets = [create_asset(purchase_cost_cents=c, currency="EUR") for c in (100000, 25050, 999, 1)]
    outs = [api.post(f"/assets/{a.id}/checkout", {"employee_id": e.id}, role="it").json
            for a, e in zip(assets, (ada, ada, bob, loose), strict=True)]
    url = api.post(f"/assignments/{outs[0]['id']}/acknowledgement", role="hr").json["url"]
    api.post(url, {"decision": "accept"}, role=None)
    api.post(f"/assignments/{outs[1]['id']}/acknowledgement", role="hr")

    by_emp = {r["employee_id"]: r for r in api.get("/reports/equipment?by=employee", role="hr").json["rows"]}
    assert (by_emp[ada.id]["assets"], by_emp[ada.id]["value_cents"], by_emp[ada.id]["accepted"],
            by_emp[ada.id]["pending"], by_emp[ada.id]["not_requested"]) == (2, 125050, 1, 1, 0)
    assert by_emp[bob.id]["value_cents"] == 999 and by_emp[bob.id]["not_requested"] == 1
    by_dept = api.get("/reports/equipment?by=department", role="hr").json["rows"]
    assert [(r["department"], r["employees"], r["assets"], r["value_cents"]) for r in by_dept] == [
        ("(none)", 1, 1, 1), ("Engineering", 2, 3, 126049)]

    rows = rows_of_csv(api.get("/reports/equipment?by=employee&format=csv", role="hr"))
    ada_row = next(r for r in rows if r["employee_id"] == str(ada.id))
    assert ada_row["employee_name"] == "'=HYPERLINK(1)"  # inert in a spreadsheet
    assert ada_row["value_cents"] == "125050" and ada_row["accepted"] == "1"
    assert api.get("/reports/equipment?by=site", role="hr").status_code == 422
    assert api.get("/reports/equipment?format=xml", role="hr").status_code == 422


def test_outstanding_returns_and_leavers_holding_as_csv(api):
    ops = api.post("/departments", {"name": "Ops"}, role="it").json["id"]
    late = create_employee(name="=Late Leaver", department_id=ops, employee_number="L-1")
    early = create_employee(name="Early")
    laptop = create_asset(serial_number="SN-L", purchase_cost_cents=129950, currency="EUR")
    phone = create_asset(kind="phone")
    for asset, emp in ((laptop, late), (phone, early)):
        assert api.post(f"/assets/{asset.id}/checkout", {"employee_id": emp.id}, role="it").status_code == 201
    past, future = date.today() - timedelta(days=5), date.today() + timedelta(days=5)
    c1 = api.post(f"/employees/{late.id}/offboarding", {"last_day": past.isoformat()}, role="hr").json
    c2 = api.post(f"/employees/{early.id}/offboarding", {"last_day": future.isoformat()}, role="hr").json

    r = api.get("/reports/outstanding-returns?format=csv", role="hr")
    assert r.get_data(as_text=True).splitlines()[0] == (
        "case_id,line_id,kind,employee_id,employee_name,department,last_day,asset_id,asset_tag,asset_kind,"
        "due_date,overdue,days_overdue")
    assert 'filename="outstanding-returns-' in r.headers["Content-Disposition"]
    rows = rows_of_csv(r)
    assert rows == [
        {"case_id": str(c1["id"]), "line_id": str(c1["lines"][0]["id"]), "kind": "held", "employee_id": str(late.id),
         "employee_name": "'=Late Leaver", "department": "Ops", "last_day": past.isoformat(),
         "asset_id": str(laptop.id), "asset_tag": laptop.asset_tag, "asset_kind": "computer",
         "due_date": past.isoformat(), "overdue": "true", "days_overdue": "5"},
        {"case_id": str(c2["id"]), "line_id": str(c2["lines"][0]["id"]), "kind": "held", "employee_id": str(early.id),
         "employee_name": "Early", "department": "", "last_day": future.isoformat(), "asset_id": str(phone.id),
         "asset_tag": phone.asset_tag, "asset_kind": "phone", "due_date": future.isoformat(), "overdue": "false",
         "days_overdue": "0"},
    ]
    assert rows_of_csv(api.get("/reports/outstanding-returns", role="hr", headers={"Accept": "text/csv"})) == rows

    r = api.get("/reports/leavers-holding?format=csv", role="hr")
    assert r.get_data(as_text=True).splitlines()[0] == (
        "employee_id,employee_number,employee_name,department,status,last_day,days_since_last_day,asset_id,"
        "asset_tag,asset_kind,serial_number,checked_out_at,value_cents,currency,acknowledgement")
    (row,) = rows_of_csv(r)  # the early leaver is not past their last day
    assert datetime.fromisoformat(row.pop("checked_out_at"))
    assert row == {"employee_id": str(late.id), "employee_number": "L-1", "employee_name": "'=Late Leaver",
                   "department": "Ops", "status": "leaving", "last_day": past.isoformat(), "days_since_last_day": "5",
                   "asset_id": str(laptop.id), "asset_tag": laptop.asset_tag, "asset_kind": "computer",
                   "serial_number": "SN-L", "value_cents": "129950", "currency": "EUR",
                   "acknowledgement": "not_requested"}
    # Returned: off both reports (the header stays).
    api.post(f"/offboardings/{c1['id']}/lines/{c1['lines'][0]['id']}/return", {}, role="it")
    assert rows_of_csv(api.get("/reports/leavers-holding?format=csv", role="hr")) == []
    assert [x["asset_id"] for x in rows_of_csv(api.get("/reports/outstanding-returns?format=csv", role="hr"))] == [
        str(phone.id)]


@pytest.mark.parametrize("missing", [99999, 0, 2**63])
def test_unknown_repairs_are_404_and_change_nothing(api, missing):
    asset = create_asset()
    repair = api.post(f"/assets/{asset.id}/repairs", {"type": "repair", "supplier": "FixIt"}, role="it").json
    n, before = changes(), (api.get(f"/repairs/{repair['id']}").json, api.get(f"/assets/{asset.id}").json)
    for method, path, body in (("GET", f"/repairs/{missing}", None), ("POST", f"/repairs/{missing}/complete", {}),
                               ("POST", f"/repairs/{missing}/complete", {"cost_cents": 100, "notes": "done"}),
                               ("GET", f"/assets/{missing}/repairs", None),
                               ("POST", f"/assets/{missing}/repairs", {"type": "inspection"})):
        r = api.call(method, path, "it", json=body)
        assert r.status_code == 404 and r.is_json, (method, path, r.status_code, r.data[:200])
        assert r.json["code"] == 404 and r.json["status"] == "Not Found" and str(missing) in r.json["message"], (
            path, r.json)
    assert changes() == n
    assert (api.get(f"/repairs/{repair['id']}").json, api.get(f"/assets/{asset.id}").json) == before
    assert before[0]["state"] == "open" and before[1]["status"] == "in_repair"
