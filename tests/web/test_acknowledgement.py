"""Asking for an acknowledgement from the page forms: the one-time link is shown once, the asset shows its state."""

import re
from datetime import date
from urllib.parse import urlsplit

from inventory.extensions import db
from inventory.models import OnboardingLine
from inventory.services import acknowledgement, assignment, kits
from tests.factories import CTX, create_asset, create_employee, create_model

LINK = re.compile(r'id="acknowledgement-link">([^<]+)<')
HTML = {"Accept": "text/html"}


def _after(client, response) -> str:
    """Follow the redirect after a form, as a browser would: the page that shows the flash."""
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _link(page: str) -> str:
    found = LINK.findall(page)
    assert len(found) == 1, page
    return found[0]


def _state(asset_id: int) -> str:
    db.session.rollback()
    held = assignment.with_acknowledgements(assignment.list_assignments({"limit": 1}, asset_id=asset_id)[0])
    return held[0].acknowledgement


def test_checkout_on_the_asset_page_shows_the_link_once_and_the_state(web, signed_in):
    asset = create_asset(serial_number="SN-ACK")
    ada = create_employee(name="Ada Lovelace")
    it = signed_in("it")
    page = it.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert 'name="require_acknowledgement"' in page and "Ask the employee to acknowledge receipt" in page
    # Unticked: a plain checkout, no link.
    page = _after(it, it.post(f"/assets/{asset.id}/checkout", {"employee_id": str(ada.id)}))
    assert "Checked out." in page and "acknowledgement-link" not in page and "no acknowledgement asked" in page
    assert _state(asset.id) == "not_requested"
    assignment.check_in(asset.id, CTX)
    db.session.commit()
    # Ticked: the page after the checkout shows the full link, once.
    it.get(f"/assets/{asset.id}")
    page = _after(it, it.post(f"/assets/{asset.id}/checkout", {"employee_id": str(ada.id),
                                                                "require_acknowledgement": "yes"}))
    url = _link(page)
    assert url.startswith("http://localhost/api/v1/acknowledgements/ack_")
    assert 'id="acknowledgement-state"><span class="ack pending">acknowledgement pending' in page
    assert _state(asset.id) == "pending"
    again = it.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert "acknowledgement-link" not in again and "acknowledgement pending" in again
    # Anyone with the link (no sign-in) sees what was issued and can accept it.
    shown = web.get(urlsplit(url).path, headers=HTML)
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Equipment issued to Ada Lovelace" in body and "SN-ACK" in body
    assert 'name="decision"' in body
    assert web.post(urlsplit(url).path, {"decision": "accept"}, csrf=False).status_code == 200
    assert _state(asset.id) == "accepted"
    assert "acknowledgement accepted" in it.get(f"/assets/{asset.id}").get_data(as_text=True)


def test_transfer_on_the_asset_page_can_ask_for_acknowledgement(web, signed_in):
    asset = create_asset(serial_number="SN-ACK-TR")
    ada, bob = create_employee(name="Ada Lovelace"), create_employee(name="Bob Byte")
    assignment.check_out(asset.id, ada.id, CTX)
    db.session.commit()
    it = signed_in("it")
    page = it.get(f"/assets/{asset.id}").get_data(as_text=True)
    assert page.count('name="require_acknowledgement"') == 1  # held: only the transfer form
    page = _after(it, it.post(f"/assets/{asset.id}/transfer", {"employee_id": str(bob.id)}))
    assert "Transferred." in page and "acknowledgement-link" not in page
    assert _state(asset.id) == "not_requested"
    it.get(f"/assets/{asset.id}")
    page = _after(it, it.post(f"/assets/{asset.id}/transfer", {"employee_id": str(ada.id),
                                                                "require_acknowledgement": "yes"}))
    url = _link(page)
    assert "Transferred." in page and "acknowledgement pending" in page and _state(asset.id) == "pending"
    body = web.get(urlsplit(url).path, headers=HTML).get_data(as_text=True)
    assert "Equipment issued to Ada Lovelace" in body and "SN-ACK-TR" in body
    # A refused transfer keeps the box ticked next to the error and makes no link.
    it.get(f"/assets/{asset.id}")
    refused = it.post(f"/assets/{asset.id}/transfer", {"employee_id": str(ada.id), "require_acknowledgement": "yes"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "already checked out" in body and "acknowledgement-link" not in body
    assert 'value="yes" checked' in body


def test_onboarding_fulfil_and_offboarding_transfer_can_ask_for_acknowledgement(web, signed_in, api):
    model = create_model()
    kit = kits.save_kit({"name": "Starter", "lines": [{"kind": "computer", "model_id": model.id, "quantity": 1}]},
                        CTX)
    laptop = create_asset(model_id=model.id, serial_number="SN-ACK-KIT")
    hire, leaver = create_employee(name="Hana Hire"), create_employee(name="Lars Leaver")
    phone = create_asset(kind="phone", serial_number="SN-ACK-OFF")
    assignment.check_out(phone.id, leaver.id, CTX)
    db.session.commit()
    it = signed_in("it")
    case = api.post(f"/employees/{hire.id}/onboarding", {"kit_id": kit.id}, role="hr").json
    line = db.session.query(OnboardingLine).one()
    page = it.get(f"/onboarding/{case['id']}").get_data(as_text=True)
    assert 'name="require_acknowledgement"' in page
    page = _after(it, it.post(f"/onboarding/{case['id']}/lines/{line.id}/fulfil",
                              {"asset_id": str(laptop.id), "require_acknowledgement": "yes"}))
    url = _link(page)
    assert "fulfilled." in page and "pending" in page and _state(laptop.id) == "pending"
    assert "Equipment issued to Hana Hire" in web.get(urlsplit(url).path, headers=HTML).get_data(as_text=True)
    off = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    page = it.get(f"/offboarding/{off['id']}").get_data(as_text=True)
    assert 'name="require_acknowledgement"' in page
    page = _after(it, it.post(f"/offboarding/{off['id']}/lines/{off['lines'][0]['id']}/transfer",
                              {"employee_id": str(hire.id), "require_acknowledgement": "yes"}))
    url = _link(page)
    assert "transferred." in page and _state(phone.id) == "pending"
    issued = acknowledgement.show(urlsplit(url).path.rsplit("/", 1)[1])
    assert (issued["employee_name"], issued["serial_number"]) == ("Hana Hire", "SN-ACK-OFF")


FORWARDED = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "inventory.example.com",
             "HTTP_X_FORWARDED_FOR": "203.0.113.7"}


def _link_after_checkout(app, username: str, asset_id: int, employee_id: int) -> str:
    from tests.web.conftest import WebClient

    client = app.test_client()
    client.environ_base.update(FORWARDED)  # every request arrives through a proxy that says so
    it = WebClient(client)
    assert it.sign_in(username).status_code == 302
    it.get(f"/assets/{asset_id}")
    page = _after(it, it.post(f"/assets/{asset_id}/checkout", {"employee_id": str(employee_id),
                                                                "require_acknowledgement": "yes"}))
    return _link(page)


def test_behind_a_trusted_proxy_the_link_names_the_public_address(app, web_users, database_url):
    from inventory import create_app

    asset, ada = create_asset(), create_employee()
    # By default X-Forwarded-* are not trusted: anyone could send them.
    assert _link_after_checkout(app, web_users["it"], asset.id, ada.id).startswith(
        "http://localhost/api/v1/acknowledgements/ack_")
    assignment.check_in(asset.id, CTX)
    db.session.commit()
    proxied = create_app({"DATABASE_URL": database_url, "TESTING": True, "TRUSTED_PROXIES": 1})
    try:
        assert _link_after_checkout(proxied, web_users["it"], asset.id, ada.id).startswith(
            "https://inventory.example.com/api/v1/acknowledgements/ack_")
    finally:
        with proxied.app_context():
            db.engine.dispose()
