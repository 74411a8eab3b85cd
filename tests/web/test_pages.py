"""Pages through the test client: list filters, sorting with keyset pages, CSV export, triage, dashboard, catalogue."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from inventory.extensions import db
from inventory.models import Asset, AssetModel, TriageItem
from inventory.services import assignment, dashboard
from inventory.services.context import Context
from inventory.services.organisation import save_department
from tests.factories import create_asset, create_employee, create_model


def tags(html: str) -> list[str]:
    return re.findall(r'<td><a href="/assets/\d+">([^<]+)</a></td>', html)


def test_filters_narrow_the_list_and_an_unknown_holder_lists_nothing(signed_in):
    dept = save_department({"name": "Finance"}, Context("t"))
    db.session.commit()
    ada = create_employee(name="Ada Lovelace", department_id=dept.id)
    laptop = create_asset(kind="computer", asset_tag="T-LAPTOP", hostname="lt-ada")
    create_asset(kind="phone", asset_tag="T-PHONE")
    create_asset(kind="computer", asset_tag="T-SPARE")
    assignment.check_out(laptop.id, ada.id, Context("t"))
    db.session.commit()
    hr = signed_in("hr")
    assert sorted(tags(hr.get("/assets").get_data(as_text=True))) == ["T-LAPTOP", "T-PHONE", "T-SPARE"]
    assert tags(hr.get("/assets?kind=phone").get_data(as_text=True)) == ["T-PHONE"]
    assert tags(hr.get("/assets?q=lovelace").get_data(as_text=True)) == ["T-LAPTOP"]
    assert tags(hr.get(f"/assets?holder={ada.employee_number}").get_data(as_text=True)) == ["T-LAPTOP"]
    assert tags(hr.get(f"/assets?department_id={dept.id}").get_data(as_text=True)) == ["T-LAPTOP"]
    assert tags(hr.get("/assets?status=in_stock&kind=computer").get_data(as_text=True)) == ["T-SPARE"]
    r = hr.get("/assets?holder=nobody-at-all")
    assert r.status_code == 422 and tags(r.get_data(as_text=True)) == [] and b"No one" in r.data
    assert hr.get("/assets?kind=toaster").status_code == 422


def test_sorting_pages_through_every_asset_once_in_order(signed_in):
    hosts = ["delta", None, "alpha", "charlie", None, "bravo", "echo"]
    for i, host in enumerate(hosts):
        create_asset(asset_tag=f"S-{i}", hostname=host)
    admin = signed_in("admin")
    for direction in ("asc", "desc"):
        seen, url = [], f"/assets?sort=hostname&dir={direction}&limit=2"
        while url:
            html = admin.get(url).get_data(as_text=True)
            seen += tags(html)
            nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
            url = nxt.group(1).replace("&amp;", "&") if nxt else None
        expected = sorted(range(len(hosts)), key=lambda i: (hosts[i] or "", i), reverse=direction == "desc")
        assert seen == [f"S-{i}" for i in expected], direction
    assert admin.get("/assets?sort=hostname&cursor=garbage").status_code == 400


def test_csv_export_holds_every_asset_of_the_current_filter(signed_in):
    for i in range(3):
        create_asset(kind="phone", asset_tag=f"P-{i}")
    create_asset(kind="computer", asset_tag="C-0")
    r = signed_in("auditor").get("/assets/export.csv?kind=phone&limit=1")
    assert r.status_code == 200 and r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert sorted(row["asset_tag"] for row in rows) == ["P-0", "P-1", "P-2"]
    assert {row["kind"] for row in rows} == {"phone"}


def test_detail_shows_holder_history_and_people_pages_show_holdings(signed_in):
    model = create_model()
    asset = create_asset(model_id=model.id, serial_number="SN-D", hostname="lt-d")
    ada, bob = create_employee(name="Ada Lovelace"), create_employee(name="Bob Byte")
    ctx = Context("t")
    assignment.check_out(asset.id, bob.id, ctx)
    assignment.check_in(asset.id, ctx, condition="scratched")
    assignment.check_out(asset.id, ada.id, ctx)
    db.session.commit()
    hr = signed_in("hr")
    html = hr.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert "Ada Lovelace" in html and "Bob Byte" in html and "Latitude 7440" in html and "scratched" in html
    assert html.count("<b>checkout</b> by t") == 2 and "<b>checkin</b> by t" in html
    assert "Check in" not in html  # HR reads; IT checks in
    assert asset.asset_tag in re.search(r'id="holds".*?</table>', hr.get(f"/people/{ada.id}").get_data(as_text=True),
                                        re.S).group(0)
    bob_page = hr.get(f"/people/{bob.id}").get_data(as_text=True)
    assert "Holds nothing." in bob_page and asset.asset_tag in bob_page
    found = hr.get("/people?q=lovelace").get_data(as_text=True)
    assert re.findall(r'href="/people/(\d+)"', found) == [str(ada.id)] and "Bob Byte" not in found
    assert hr.get("/people/999999").status_code == 404


def test_edit_locks_only_the_fields_that_changed(signed_in):
    asset = create_asset(hostname=None, serial_number=None)
    it = signed_in("it")
    it.get(f"/assets/{asset.id}/edit")
    r = it.post(f"/assets/{asset.id}/edit", {"kind": "computer", "status": "in_stock", "hostname": "lt-new",
                                              "serial_number": "", "notes": "", "model_id": ""})
    assert r.status_code == 303
    db.session.rollback()
    fresh = db.session.get(Asset, asset.id)
    assert fresh.hostname == "lt-new" and fresh.locked_fields == ["hostname", "kind"]
    r = it.post(f"/assets/{asset.id}/edit", {"kind": "computer", "status": "deployed"})
    assert r.status_code == 422 and b"Set by checkout/checkin" in r.data


def _triage(api, observations):
    now = datetime.now(UTC).isoformat()
    body = {"source": "nmap", "scanner": "scan-hq", "scan_id": f"s{len(observations)}", "batch": 0, "complete": False,
            "scope": [], "started_at": now, "finished_at": now, "observations": observations}
    assert api.post("/observations", body, role="scanner").status_code == 200
    db.session.rollback()
    return {i.identity_key: i.id for i in db.session.query(TriageItem)}


def test_triage_promote_link_and_ignore_in_one_click_each(api, signed_in):
    target = create_asset(asset_tag="T-TARGET")
    items = _triage(api, [{"macs": ["00:14:22:00:00:a1"], "hostname": "h-one"},
                          {"macs": ["00:14:22:00:00:a2"], "hostname": "h-two"},
                          {"macs": ["00:14:22:00:00:a3"], "hostname": "h-three"}])
    it = signed_in("it")
    page = it.get("/triage").get_data(as_text=True)
    assert page.count('class="triage"') == 3 and "h-two" in page
    one, two, three = (items[f"mac:00:14:22:00:00:a{n}"] for n in (1, 2, 3))
    assert it.post(f"/triage/{one}/promote", {"kind": "computer"}).status_code == 303
    assert it.post(f"/triage/{two}/link", {"asset_tag": "T-TARGET"}).status_code == 303
    assert it.post(f"/triage/{three}/ignore", {"reason": "guest wifi"}).status_code == 303
    db.session.rollback()
    states = {i.id: (i.status, i.asset_id) for i in db.session.query(TriageItem)}
    assert states[two] == ("linked", target.id) and states[three] == ("ignored", None)
    assert states[one][0] == "promoted" and db.session.get(Asset, states[one][1]).hostname == "h-one"
    assert "Nothing waiting." in it.get("/triage").get_data(as_text=True)
    r = it.post(f"/triage/{one}/ignore", {"reason": "again"})  # already settled: said, not a 500
    assert r.status_code == 303 and "already promoted" in it.get("/triage").get_data(as_text=True)


def test_dashboard_counts_and_charts(app, signed_in):
    today = date.today()
    create_asset(kind="phone", warranty_end=today + timedelta(days=40), purchase_date=today - timedelta(days=400))
    old = create_asset(kind="computer", purchase_date=today - timedelta(days=365 * 6))
    db.session.rollback()
    db.session.get(Asset, old.id).last_seen_at = datetime.now(UTC) - timedelta(days=45)
    db.session.commit()
    data = dashboard.summary(30)
    assert data["total"] == 2 and dict(data["by_kind"])["phone"] == 1 and dict(data["by_status"])["in_stock"] == 2
    assert dict(data["fleet_age"]) == {"< 1 year": 0, "1-2 years": 1, "2-3 years": 0, "3-4 years": 0, "4-5 years": 0,
                                       "5 years +": 1, "unknown": 0}
    assert sum(n for _, n in data["warranties"]) == 1 and data["warranties"][0][0] == today.strftime("%b %Y")
    assert data["not_seen_count"] == 1 and dict(data["last_seen"])["this quarter"] == 1
    html = signed_in("auditor").get("/").get_data(as_text=True)
    assert html.count("<svg") == 5 and 'id="count-not-seen">1<' in html and 'id="count-total">2<' in html


def test_catalogue_and_places_forms_save_or_explain(signed_in):
    it = signed_in("it")
    it.get("/catalogue")
    assert it.post("/catalogue/manufacturers", {"name": "Lenovo"}).status_code == 303
    it.get("/catalogue")
    r = it.post("/catalogue/models", {"manufacturer_id": "", "name": "ThinkPad T14", "kind": "computer"})
    assert r.status_code == 422 and b"Nothing was changed" in r.data
    db.session.rollback()
    assert db.session.query(AssetModel).count() == 0
    maker = re.search(r'<option value="(\d+)">Lenovo</option>', it.get("/catalogue").get_data(as_text=True)).group(1)
    assert it.post("/catalogue/models", {"manufacturer_id": maker, "name": "ThinkPad T14",
                                         "kind": "computer"}).status_code == 303
    assert "ThinkPad T14" in it.get("/catalogue").get_data(as_text=True)
    assert it.post("/places/departments", {"name": "Sales"}).status_code == 303
    it.get("/places")
    assert it.post("/places/departments", {"name": "Sales"}).status_code == 422  # a duplicate, explained
    assert it.post("/places/locations", {"name": "HQ", "kind": "site"}).status_code == 303
    assert "HQ" in it.get("/places").get_data(as_text=True)


def test_triage_page_accepts_and_rejects_assignment_suggestions(app, api, signed_in):
    app.config["USAGE_SUGGEST_DAYS"] = 1
    try:
        jane, bob = create_employee(name="Jane Doe", logins=["jdoe"]), create_employee(name="Bob Roe", logins=["bob"])
        laptop, desk = create_asset(serial_number="SUGG-1"), create_asset(serial_number="SUGG-2")
        now = datetime.now(UTC).isoformat()
        body = {"source": "agent", "scanner": "agents", "scan_id": "usage", "finished_at": now, "observations": [
            {"serial_number": "SUGG-1", "users": [{"login": "CORP\\jdoe"}]},
            {"serial_number": "SUGG-2", "users": [{"login": "bob"}]}]}
        assert api.post("/observations", body, role="scanner").status_code == 200
    finally:
        app.config["USAGE_SUGGEST_DAYS"] = 3
    db.session.rollback()
    from inventory.models import AssignmentSuggestion

    ids = {s.asset_id: s.id for s in db.session.query(AssignmentSuggestion)}
    hr_client = signed_in("hr")
    hr = hr_client.get("/triage").get_data(as_text=True)
    assert "Jane Doe" in hr and "Check out to" not in hr  # HR sees them, cannot act
    seen_on = re.search(r'id="seen-on".*?</table>', hr_client.get(f"/people/{jane.id}").get_data(as_text=True), re.S)
    assert laptop.asset_tag in seen_on.group(0) and "CORP\\jdoe" in seen_on.group(0)
    it = signed_in("it")
    page = it.get("/triage").get_data(as_text=True)
    assert page.count('id="suggestion-') == 2 and "CORP\\jdoe" in page
    assert it.post(f"/triage/suggestions/{ids[laptop.id]}/accept", {}).status_code == 303
    assert it.post(f"/triage/suggestions/{ids[desk.id]}/reject", {}).status_code == 303
    db.session.rollback()
    assert assignment.current_holder(laptop.id).id == jane.id and assignment.current_holder(desk.id) is None
    assert 'id="suggestion-' not in it.get("/triage").get_data(as_text=True)
    r = it.post(f"/triage/suggestions/{ids[desk.id]}/accept", {})  # rejected already: said, nothing changes
    assert r.status_code == 303 and "rejected" in it.get("/triage").get_data(as_text=True)
    assert assignment.current_holder(desk.id) is None and bob.id


def test_transfer_from_the_asset_page_keeps_both_in_history(api, signed_in):
    asset = create_asset(serial_number="SN-TR")
    ada, bob, gone = create_employee(name="Ada Lovelace"), create_employee(name="Bob Byte"), create_employee(
        name="Gone Person", status="left")
    assignment.check_out(asset.id, ada.id, Context("t"))
    db.session.commit()
    it = signed_in("it")
    page = it.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert 'id="transfer-form"' in page
    assert 'id="transfer-form"' not in signed_in("hr").get(f"/assets/{asset.id}").get_data(as_text=True)
    refused = it.post(f"/assets/{asset.id}/transfer", {"employee_id": str(gone.id)})
    assert refused.status_code == 422 and "has left" in refused.get_data(as_text=True)
    assert it.post(f"/assets/{asset.id}/transfer", {"employee_id": str(bob.id), "condition": "good"}).status_code == 303
    db.session.rollback()
    assert assignment.current_holder(asset.id).id == bob.id
    held = api.get(f"/assets/{asset.id}/assignments").json["items"]
    assert [(h["employee_id"], h["source"], h["condition"]) for h in held] == [(bob.id, "transfer", None),
                                                                              (ada.id, "manual", "good")]
    r = api.post(f"/assets/{asset.id}/transfer", {"employee_id": ada.id}, role="it")
    assert r.status_code == 201 and r.json["employee_id"] == ada.id
    assert api.post(f"/assets/{asset.id}/transfer", {"employee_id": ada.id}, role="hr").status_code == 403
