"""An offboarding run to clearance in a real browser (Chromium, headless): return, transfer, write-off, receipt."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from inventory.extensions import db
from inventory.models import Asset, Assignment, Employee
from inventory.services import assignment
from tests.factories import CTX, create_asset, create_employee
from tests.web.test_browser import sign_in


def test_offboarding_to_clearance_and_the_printable_receipt(page, live_server, web_users):
    leaver = create_employee(name="Lena Leaver")
    taker = create_employee(name="Tom Taker")
    laptop = create_asset(serial_number="SN-BACK")
    phone = create_asset(kind="phone", serial_number="SN-PASS")
    tablet = create_asset(kind="peripheral", serial_number="SN-GONE")
    for asset in (laptop, phone, tablet):
        assignment.check_out(asset.id, leaver.id, CTX)
    db.session.commit()
    sign_in(page, live_server, web_users["it"])
    page.goto(f"{live_server}/people/{leaver.id}")
    page.get_by_label("Last day").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Open offboarding").click()
    expect(page.get_by_role("heading", name="Offboarding: Lena Leaver")).to_be_visible()
    expect(page.locator("section.case-line.open")).to_have_count(3)

    # Clearance too early: refused, naming the open lines.
    page.get_by_role("button", name="Clear the case").click()
    expect(page.locator("#clearance-form .errors")).to_contain_text("3 line(s) still open")
    expect(page.locator("#clearance-form .errors")).to_contain_text(tablet.asset_tag)

    line = page.locator(f'section[data-asset="{laptop.asset_tag}"]')
    line.get_by_label("Condition").fill("scratched lid")
    line.get_by_role("button", name="Return").click()
    expect(page.locator(".flash")).to_contain_text("returned")

    line = page.locator(f'section[data-asset="{phone.asset_tag}"]')
    line.get_by_label("Transfer to").select_option(label=f"Tom Taker ({taker.employee_number})")
    line.get_by_role("button", name="Transfer").click()
    expect(page.locator(".flash")).to_contain_text("transferred")

    # A write-off without a note is refused next to its form; with one it goes through.
    line = page.locator(f'section[data-asset="{tablet.asset_tag}"]')
    line.get_by_role("button", name="Write off").click()
    line = page.locator(f'section[data-asset="{tablet.asset_tag}"]')
    expect(line.locator(".write-off-form .errors")).to_contain_text("Nothing was changed.")
    expect(line.locator(".write-off-form #error-note")).to_be_visible()
    line.get_by_label("Written off as").select_option("lost")
    line.get_by_label("What happened").fill("Left on the train")
    line.get_by_role("button", name="Write off").click()
    expect(page.locator(".flash")).to_contain_text("written off")
    expect(page.locator("section.case-line.closed")).to_have_count(3)

    page.get_by_role("button", name="Clear the case").click()
    expect(page.locator(".flash")).to_have_text("Cleared: the receipt is ready.")
    expect(page.locator("#case-state")).to_have_text("cleared")
    page.get_by_role("link", name="Printable receipt").click()
    expect(page.get_by_role("heading", name="Equipment clearance receipt")).to_be_visible()
    rows = page.locator("#receipt-items tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text=laptop.asset_tag)).to_contain_text(re.compile(r"returned.*condition: scratched lid", re.S))
    expect(rows.filter(has_text=phone.asset_tag)).to_contain_text("transferred")
    expect(rows.filter(has_text=phone.asset_tag)).to_contain_text("to Tom Taker")
    expect(rows.filter(has_text=tablet.asset_tag)).to_contain_text(re.compile(r"lost.*Left on the train", re.S))

    db.session.rollback()
    assert db.session.get(Employee, leaver.id).status == "left"
    assert [db.session.get(Asset, a.id).status for a in (laptop, phone, tablet)] == ["in_stock", "deployed", "lost"]
    holder = db.session.query(Assignment).filter_by(asset_id=phone.id, checked_in_at=None).one()
    assert holder.employee_id == taker.id and holder.checked_out_by == "user:it-user"
