"""Case pages through the Flask test client: who sees which controls, refusals that change nothing, lists."""

from datetime import date, timedelta

from inventory.extensions import db
from inventory.models import Assignment, Change, OffboardingLine, OnboardingLine
from inventory.services import assignment, kits
from tests.factories import CTX, create_asset, create_employee, create_model


def _state():
    db.session.rollback()
    return (db.session.query(Change).count(), db.session.query(Assignment).count(),
            [(ln.id, ln.asset_id) for ln in db.session.query(OnboardingLine).order_by(OnboardingLine.id)],
            [(ln.id, ln.state) for ln in db.session.query(OffboardingLine).order_by(OffboardingLine.id)])


def _kit():
    model = create_model()
    kit = kits.save_kit({"name": "Starter", "lines": [{"kind": "computer", "model_id": model.id, "quantity": 1},
                                                      {"kind": "phone", "quantity": 1}]}, CTX)
    db.session.commit()
    return kit, model


def test_onboarding_hr_opens_and_follows_it_fulfils(signed_in):
    kit, model = _kit()
    laptop = create_asset(model_id=model.id, serial_number="SN-KIT")
    create_asset(serial_number="SN-WRONG-MODEL")
    hire = create_employee(name="Hana Hire")
    hr, it = signed_in("hr"), signed_in("it")
    page = hr.get(f"/people/{hire.id}").get_data(as_text=True)
    assert 'id="onboarding-form"' in page and "Starter" in page
    needed = (date.today() - timedelta(days=1)).isoformat()
    r = hr.post(f"/people/{hire.id}/onboarding", {"kit_id": str(kit.id), "needed_by": needed})
    assert r.status_code == 303, r.get_data(as_text=True)
    case_url = r.headers["Location"]
    page = hr.get(case_url).get_data(as_text=True)
    assert "0 of 2 fulfilled" in page and "overdue" in page
    assert laptop.asset_tag in page and "SN-WRONG-MODEL" not in page  # candidates: the matching model only
    assert "fulfil-form" not in page and ">Fulfil<" not in page  # HR follows progress, IT fulfils
    line = db.session.query(OnboardingLine).filter_by(kind="computer").one()
    before = _state()
    r = hr.post(f"{case_url}/lines/{line.id}/fulfil", {"asset_id": str(laptop.id)})
    assert r.status_code == 403 and b"Not allowed" in r.data
    assert _state() == before
    # IT sees the form; a wrong asset is refused next to it and changes nothing; the right one is issued.
    page = it.get(case_url).get_data(as_text=True)
    assert page.count('class="inline fulfil-form"') == 1  # no phone in stock: no form for that line
    r = it.post(f"{case_url}/lines/{line.id}/fulfil", {"asset_id": "999999"})
    assert r.status_code == 422 and "does not exist" in r.get_data(as_text=True)
    assert _state() == before
    r = it.post(f"{case_url}/lines/{line.id}/fulfil", {"asset_id": str(laptop.id)})
    assert r.status_code == 303
    page = it.get(case_url).get_data(as_text=True)
    assert "1 of 2 fulfilled" in page and f">{laptop.asset_tag}</a>" in page
    assert db.session.query(Assignment).filter_by(asset_id=laptop.id, employee_id=hire.id).count() == 1


def test_offboarding_hr_sees_no_line_controls_and_a_refused_post_changes_nothing(signed_in):
    leaver = create_employee(name="Lars Leaver")
    other = create_employee(name="Olga Other")
    laptop = create_asset(serial_number="SN-HELD")
    assignment.check_out(laptop.id, leaver.id, CTX)
    db.session.commit()
    hr, auditor = signed_in("hr"), signed_in("auditor")
    assert 'id="offboarding-form"' not in auditor.get(f"/people/{leaver.id}").get_data(as_text=True)
    past = (date.today() - timedelta(days=3)).isoformat()
    r = hr.post(f"/people/{leaver.id}/offboarding", {"last_day": past})
    assert r.status_code == 303
    case_url = r.headers["Location"]
    page = hr.get(case_url).get_data(as_text=True)
    assert laptop.asset_tag in page and "overdue" in page and 'id="clearance-form"' in page
    for control in ("return-form", "transfer-form", "write-off-form", ">Return<", ">Write off<"):
        assert control not in page, control
    line = db.session.query(OffboardingLine).one()
    before = _state()
    for action, data in (("return", {"condition": "ok"}), ("transfer", {"employee_id": str(other.id)}),
                         ("write-off", {"status": "lost", "note": "gone"})):
        r = hr.post(f"{case_url}/lines/{line.id}/{action}", data)
        assert r.status_code == 403, action
    assert _state() == before
    # Clearance with a line open: refused, naming it, next to the form; nothing changes.
    r = hr.post(f"{case_url}/clearance", {})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "1 line(s) still open" in body and laptop.asset_tag in body
    assert _state() == before
    # The auditor reads the case but has no forms; the receipt does not exist before clearance.
    page = auditor.get(case_url).get_data(as_text=True)
    assert laptop.asset_tag in page and "clearance-form" not in page and "return-form" not in page
    assert auditor.get(f"{case_url}/receipt").status_code == 409


def test_lists_and_dashboard_show_open_cases_and_overdue_ones(signed_in, api):
    late, on_time = create_employee(name="Late Leaver"), create_employee(name="Timely Leaver")
    for person, day in ((late, -2), (on_time, 5)):
        held = create_asset()
        assignment.check_out(held.id, person.id, CTX)
        db.session.commit()
        last_day = (date.today() + timedelta(days=day)).isoformat()
        assert api.post(f"/employees/{person.id}/offboarding", {"last_day": last_day}, role="hr").status_code == 201
    it = signed_in("it")
    page = it.get("/cases").get_data(as_text=True)
    assert "Late Leaver" in page and "Timely Leaver" in page and page.count("1 overdue") == 1
    page = it.get("/").get_data(as_text=True)
    assert 'id="count-offboarding">2<' in page and "1 with overdue lines" in page
    assert 'id="count-onboarding">0<' in page
    assert 'href="/cases"' in page  # reachable from the navigation


def test_closing_a_line_of_a_cleared_case_is_refused_with_the_reason_on_the_page(signed_in, api):
    leaver = create_employee(name="Cleo Cleared")
    held = create_asset()
    assignment.check_out(held.id, leaver.id, CTX)
    db.session.commit()
    case = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    line = case["lines"][0]["id"]
    assert api.post(f"/offboardings/{case['id']}/lines/{line}/return", {}, role="it").status_code == 200
    assert api.post(f"/offboardings/{case['id']}/clearance", {}, role="hr").status_code == 200
    it = signed_in("it")
    it.get(f"/offboarding/{case['id']}")
    before = _state()
    r = it.post(f"/offboarding/{case['id']}/lines/{line}/write-off", {"status": "lost", "note": "late report"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Nothing was changed." in body and "is cleared" in body
    assert _state() == before
    assert "Equipment clearance receipt" in it.get(f"/offboarding/{case['id']}/receipt").get_data(as_text=True)
