"""Every core flow with JavaScript switched off in the browser (Chromium, headless) against gunicorn: sign in,
search and filter, open an asset, check it out, transfer it, check it in, a bad edit, an offboarding to its receipt.
Plain HTML forms and links carry all of it; web.js only saves a click."""

import re

import pytest
from playwright.sync_api import expect

from inventory.extensions import db
from inventory.models import Asset, Assignment, Change
from tests.factories import create_asset, create_employee, create_model
from tests.web.conftest import PASSWORD
from tests.web.test_browser import sign_in
from tests.web.test_cases_browser import test_offboarding_to_clearance_and_the_printable_receipt  # noqa: F401


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every page of this module (its own `page` included) runs in a context with JavaScript disabled."""
    return {**browser_context_args, "java_script_enabled": False}


def test_javascript_is_really_off(page, live_server, web_users):
    """With JavaScript, changing a filter select submits the form (web.js); without, nothing happens until Filter."""
    create_asset(serial_number="SN-JS")
    sign_in(page, live_server, web_users["it"])
    page.goto(live_server + "/assets")
    page.get_by_label("Kind").select_option("phone")
    page.wait_for_timeout(500)
    expect(page).to_have_url(re.compile(r"/assets$"))
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/assets\?.*kind=phone"))
    expect(page.locator("#assets tbody")).to_contain_text("No asset matches.")


def test_sign_in_refused_then_accepted_and_sign_out(page, live_server, web_users):
    sign_in(page, live_server, web_users["it"], "not-the-password")
    expect(page.locator("#signin-error")).to_have_text("Wrong username or password.")
    expect(page.get_by_role("link", name="Assets")).to_have_count(0)
    page.get_by_label("Username").fill(web_users["it"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("it-user · it")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"))
    page.goto(live_server + "/assets")
    expect(page).to_have_url(re.compile(r"/signin\?next=/assets"))
    # Signing in from there lands on the page that was asked for.
    page.get_by_label("Username").fill(web_users["it"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/assets$"))
    expect(page.get_by_role("heading", name="Assets")).to_be_visible()


def test_search_filter_sort_open_check_out_transfer_and_check_in(page, live_server, web_users):
    model = create_model()
    target = create_asset(model_id=model.id, serial_number="5CG-NOJS-2", hostname="lt-nojs-b")
    create_asset(model_id=model.id, serial_number="5CG-NOJS-1", hostname="lt-nojs-a")
    create_asset(model_id=model.id, serial_number="5CG-NOJS-3", hostname="lt-nojs-c", status="in_repair")
    create_asset(kind="phone", serial_number="PH-NOJS", hostname="ph-nojs")
    ada, bob = create_employee(name="Ada Lovelace"), create_employee(name="Bob Builder")
    sign_in(page, live_server, web_users["it"])
    page.get_by_role("link", name="Assets", exact=True).click()
    rows = page.locator("#assets tbody tr")
    expect(rows).to_have_count(4)

    # Free text and two filters, submitted by the plain form.
    page.get_by_label("Search").fill("nojs")
    page.get_by_label("Kind").select_option("computer")
    page.get_by_label("Status").select_option("in_stock")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Search")).to_have_value("nojs")  # the filter stays filled in
    expect(page.get_by_label("Kind")).to_have_value("computer")
    # A column header is a link: sort by host, then reversed, the filter kept.
    page.locator("#assets thead").get_by_role("link", name="Host").click()
    expect(rows.nth(0)).to_contain_text("lt-nojs-a")
    page.locator("#assets thead").get_by_role("link", name=re.compile("^Host")).click()
    expect(rows.nth(0)).to_contain_text("lt-nojs-b")
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"kind=computer"))

    rows.get_by_role("link", name=target.asset_tag).click()
    expect(page.get_by_role("heading", name=target.asset_tag)).to_be_visible()
    expect(page.locator("#holder")).to_have_text("Nobody holds it.")
    page.get_by_role("combobox", name="Employee").select_option(label=f"Ada Lovelace ({ada.employee_number})")
    page.locator("#checkout-form").get_by_label("Note").fill("first day kit")
    page.get_by_role("button", name="Check out").click()
    expect(page.locator(".flash")).to_have_text("Checked out.")
    expect(page.locator("#asset-status")).to_have_text("deployed")
    expect(page.locator("#holder")).to_contain_text("Ada Lovelace")

    page.get_by_label("Transfer to").select_option(label=f"Bob Builder ({bob.employee_number})")
    page.get_by_role("button", name="Transfer").click()
    expect(page.locator("#holder")).to_contain_text("Bob Builder")

    page.get_by_label("Status after check-in").select_option("in_repair")
    page.locator("#checkin-form").get_by_label("Condition").fill("cracked screen")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#asset-status")).to_have_text("in repair")
    expect(page.locator("#holder")).to_have_text("Nobody holds it.")
    expect(page.locator("#assignments tbody tr")).to_have_count(2)
    expect(page.locator("#assignments")).to_contain_text("cracked screen")
    expect(page.locator("#timeline")).to_contain_text("checkin by user:it-user")

    db.session.rollback()
    held = db.session.query(Assignment).filter_by(asset_id=target.id).order_by(Assignment.id).all()
    assert [(a.employee_id, a.checked_in_at is not None) for a in held] == [(ada.id, True), (bob.id, True)]
    assert db.session.get(Asset, target.id).status == "in_repair"


def test_a_bad_edit_shows_the_field_error_and_changes_nothing(page, live_server, web_users):
    asset = create_asset(kind="phone", serial_number="SN-NOJS-EDIT", hostname="lt-before", imei=None)
    changes_before = db.session.query(Change).count()
    sign_in(page, live_server, web_users["it"])
    page.goto(f"{live_server}/assets/{asset.id}")
    page.locator("#edit-asset").click()
    page.get_by_label("Hostname").fill("lt-after")
    page.get_by_label("IMEI").fill("356938035643808")  # one digit off
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errors")).to_contain_text("Nothing was changed.")
    expect(page.locator("#error-imei")).to_contain_text("Not a valid IMEI")
    expect(page.get_by_label("Hostname")).to_have_value("lt-after")
    expect(page.get_by_label("IMEI")).to_have_value("356938035643808")
    db.session.rollback()
    fresh = db.session.get(Asset, asset.id)
    assert (fresh.hostname, fresh.imei) == ("lt-before", None)
    assert db.session.query(Change).count() == changes_before
    page.get_by_label("IMEI").fill("35-693803-564380-9")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_have_text(f"Saved {asset.asset_tag}.")
    db.session.rollback()
    fresh = db.session.get(Asset, asset.id)
    assert (fresh.hostname, fresh.imei) == ("lt-after", "356938035643809")
