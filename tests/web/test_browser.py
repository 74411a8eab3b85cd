"""The pages in a real browser (Chromium, headless) against gunicorn: sign in, search, check out, roles, bad edits."""

import re

from playwright.sync_api import expect

from inventory.extensions import db
from inventory.models import Asset, Assignment, Change
from inventory.services import assignment
from tests.factories import CTX, create_asset, create_employee, create_model
from tests.web.conftest import PASSWORD


def sign_in(page, base, username, password=PASSWORD):
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/signin"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_and_a_wrong_password_fails_with_a_message(page, live_server, web_users):
    create_asset(serial_number="SN-ONE")
    sign_in(page, live_server, web_users["it"], "not-the-password")
    expect(page.locator("#signin-error")).to_have_text("Wrong username or password.")
    expect(page.get_by_role("link", name="Assets")).to_have_count(0)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("#count-total")).to_have_text("1")
    expect(page.locator(".who")).to_contain_text("it-user · it")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"))
    page.goto(live_server + "/assets")
    expect(page).to_have_url(re.compile(r"/signin\?next=/assets"))


def test_search_open_an_asset_and_check_it_out(page, live_server, web_users):
    model = create_model()
    target = create_asset(model_id=model.id, serial_number="5CG-WANTED", hostname="lt-wanted")
    create_asset(model_id=model.id, serial_number="5CG-OTHER", hostname="lt-other")
    ada = create_employee(name="Ada Lovelace")
    sign_in(page, live_server, web_users["it"])
    page.get_by_role("link", name="Assets", exact=True).click()
    page.get_by_label("Search").fill("wanted")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#assets tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=target.asset_tag).click()
    expect(page.get_by_role("heading", name=target.asset_tag)).to_be_visible()
    expect(page.locator("#holder")).to_have_text("Nobody holds it.")
    page.get_by_role("combobox", name="Employee").select_option(label=f"Ada Lovelace ({ada.employee_number})")
    page.get_by_role("button", name="Check out").click()
    expect(page.locator(".flash")).to_have_text("Checked out.")
    expect(page.locator("#asset-status")).to_have_text("deployed")
    expect(page.locator("#holder")).to_contain_text("Ada Lovelace")
    expect(page.locator("#timeline")).to_contain_text("checkout by user:it-user")
    db.session.rollback()
    held = db.session.query(Assignment).filter_by(asset_id=target.id, checked_in_at=None).one()
    assert held.employee_id == ada.id and held.checked_out_by == "user:it-user"
    # And back in again.
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#asset-status")).to_have_text("in stock")


def test_hr_sees_no_hardware_edit_controls_and_cannot_open_the_edit_form(page, live_server, web_users):
    asset = create_asset(serial_number="SN-HR", hostname="lt-hr")
    create_employee(name="Grace Hopper")
    sign_in(page, live_server, web_users["hr"])
    page.goto(f"{live_server}/assets/{asset.id}")
    expect(page.get_by_role("heading", name=asset.asset_tag)).to_be_visible()
    expect(page.locator("#edit-asset")).to_have_count(0)
    expect(page.locator("#checkout-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Check out")).to_have_count(0)
    page.goto(f"{live_server}/assets/{asset.id}/edit")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    # HR reads people and their equipment.
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible()


def test_hr_sees_who_holds_an_asset_but_no_check_in_or_transfer(page, live_server, web_users):
    held = create_asset(serial_number="SN-HR-HELD", hostname="lt-hr-held")
    grace = create_employee(name="Grace Hopper")
    create_employee(name="Alan Turing")
    assignment.check_out(held.id, grace.id, CTX)
    db.session.commit()
    sign_in(page, live_server, web_users["hr"])
    page.goto(f"{live_server}/assets/{held.id}")
    expect(page.locator("#holder")).to_contain_text("Grace Hopper")
    expect(page.locator("#assignments")).to_contain_text("Grace Hopper")
    for form in ("#checkin-form", "#transfer-form", "#checkout-form", "#edit-asset"):
        expect(page.locator(form)).to_have_count(0)
    for button in ("Check in", "Transfer", "Check out", "Save"):
        expect(page.get_by_role("button", name=button)).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    # Through her page too: what she holds is listed, with no hardware control.
    page.locator("#holder").get_by_role("link", name="Grace Hopper").click()
    expect(page.get_by_role("link", name=held.asset_tag)).to_be_visible()
    expect(page.get_by_role("button", name="Check in")).to_have_count(0)
    # The same page as IT does carry both forms (the control for the above).
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, web_users["it"])
    page.goto(f"{live_server}/assets/{held.id}")
    expect(page.locator("#checkin-form")).to_be_visible()
    expect(page.locator("#transfer-form")).to_be_visible()


def test_a_bad_edit_shows_field_errors_and_changes_nothing(page, live_server, web_users):
    asset = create_asset(serial_number="SN-EDIT", hostname="lt-before", imei=None)
    changes_before = db.session.query(Change).count()
    sign_in(page, live_server, web_users["it"])
    page.goto(f"{live_server}/assets/{asset.id}")
    page.locator("#edit-asset").click()
    page.get_by_label("Hostname").fill("lt-after")
    page.get_by_label("IMEI").fill("12345")
    page.get_by_label("Purchase cost").fill("lots")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errors")).to_contain_text("Nothing was changed.")
    expect(page.locator("#error-imei")).to_contain_text("Not a valid IMEI")
    expect(page.locator("#error-purchase_cost")).to_contain_text("not an amount")
    expect(page.get_by_label("Hostname")).to_have_value("lt-after")  # what was typed is kept for correction
    db.session.rollback()
    fresh = db.session.get(Asset, asset.id)
    assert (fresh.hostname, fresh.imei, fresh.purchase_cost_cents) == ("lt-before", None, None)
    assert db.session.query(Change).count() == changes_before
    # Corrected, the same form saves.
    page.get_by_label("IMEI").fill("")
    page.get_by_label("Purchase cost").fill("1299.50")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_have_text(f"Saved {asset.asset_tag}.")
    db.session.rollback()
    fresh = db.session.get(Asset, asset.id)
    assert (fresh.hostname, fresh.purchase_cost_cents) == ("lt-after", 129950)
