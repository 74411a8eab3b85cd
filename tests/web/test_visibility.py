"""What each role is offered: walk every page a role can reach (following its links) and read the forms on it.

An auditor reads everything and is offered no form but sign-out; HR is offered no form on hardware pages and
none that acts on hardware anywhere; every form any role is shown is one the server would let that role submit.
IT is walked over the same pages as the control: the forms are there for a role that may use them.
"""

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from inventory.auth import allowed
from inventory.extensions import db
from inventory.models import AssignmentSuggestion
from inventory.services import assignment, kits
from tests.factories import CTX, create_asset, create_employee, create_model

HARDWARE_PAGES = ("/assets", "/triage", "/catalogue", "/places")
SIGN_OUT = "/signout"


class Forms(HTMLParser):
    """The links and the POST forms (their actions) of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.posts = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.add(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self.posts.append(urlsplit(a.get("action") or "").path)


@pytest.fixture
def world(api):
    """Every page in a state that shows all of its controls to IT."""
    model = create_model()
    kit = kits.save_kit({"name": "Walk kit", "lines": [{"kind": "computer", "model_id": model.id}]}, CTX)
    spare = create_asset(model_id=model.id, serial_number="SN-SPARE", hostname="lt-twin")
    held = create_asset(model_id=model.id, serial_number="SN-HELD", hostname="lt-held")
    create_asset(model_id=model.id, serial_number="SN-TWIN", hostname="lt-twin")
    hire, leaver, gone = create_employee(name="Hana Hire"), create_employee(name="Lea Leaver"), create_employee()
    assignment.check_out(held.id, leaver.id, CTX)
    db.session.add(AssignmentSuggestion(asset_id=spare.id, employee_id=hire.id, evidence={"days_seen": 3}))
    db.session.commit()
    now = datetime.now(UTC).isoformat()
    body = {"source": "nmap", "scanner": "scan-hq", "scan_id": "s1", "batch": 0, "complete": False, "scope": [],
            "started_at": now, "finished_at": now,
            "observations": [{"ip_addresses": ["10.213.0.9"], "macs": ["00:14:22:01:23:99"]},
                             {"hostname": "lt-twin"}]}  # the second: two assets answer to it, a conflict
    assert api.post("/observations", body, role="scanner").status_code == 200
    onboarding = api.post(f"/employees/{hire.id}/onboarding", {"kit_id": kit.id}, role="hr").json
    offboarding = api.post(f"/employees/{leaver.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr")
    cleared = api.post(f"/employees/{gone.id}/offboarding", {"last_day": date.today().isoformat()}, role="hr").json
    assert api.post(f"/offboardings/{cleared['id']}/clearance", {}, role="hr").status_code == 200
    return {"held": held.id, "spare": spare.id, "onboarding": onboarding["id"],
            "offboarding": offboarding.json["id"], "cleared": cleared["id"], "leaver": leaver.id, "hire": hire.id}


def must_visit(w):
    return {"/", "/assets", f"/assets/{w['held']}", f"/assets/{w['spare']}", f"/assets/{w['held']}/edit",
            f"/assets/{w['spare']}/edit", "/triage", "/people", f"/people/{w['leaver']}", f"/people/{w['hire']}",
            "/catalogue", "/places", "/cases", f"/onboarding/{w['onboarding']}", f"/offboarding/{w['offboarding']}",
            f"/offboarding/{w['cleared']}", f"/offboarding/{w['cleared']}/receipt"}


def walk(client, start) -> dict[str, list[str]]:
    """path -> the actions of the POST forms on it, for every page reachable from start by links (query strings
    dropped: a filtered or sorted list is the same page)."""
    seen, todo = {}, sorted(start)
    while todo and len(seen) < 300:
        path = todo.pop()
        if path in seen:
            continue
        r = client.get(path)
        assert r.status_code in (200, 403, 409), (path, r.status_code)
        if r.mimetype != "text/html":
            continue
        forms = Forms()
        forms.feed(r.get_data(as_text=True))
        seen[path] = forms.posts
        todo += sorted({urlsplit(href).path for href in forms.links}
                       - set(seen) - {"/signin"} - {p for p in forms.links if p.startswith(("/web-static", "/api"))})
    return seen


def assert_every_form_may_be_submitted(app, role, pages) -> None:
    """Each form shown to the role posts to an endpoint the role's POST is allowed on (the server's own table)."""
    urls = app.url_map.bind("localhost")
    refused = {(path, action) for path, actions in pages.items() for action in actions
               if not allowed(role, urls.match(action, method="POST")[0].rsplit(".", 1)[0], "POST")}
    assert not refused, f"forms shown to {role} that the server would refuse"


def test_an_auditor_is_offered_no_form_but_sign_out_anywhere(app, signed_in, world):
    pages = walk(signed_in("auditor"), must_visit(world))
    assert_every_form_may_be_submitted(app, "auditor", pages)
    assert must_visit(world) <= set(pages), must_visit(world) - set(pages)
    offered = {path: [a for a in actions if a != SIGN_OUT] for path, actions in pages.items()}
    assert not {p: a for p, a in offered.items() if a}, "forms offered to an auditor"
    assert all(SIGN_OUT in actions for path, actions in pages.items()), "every page offers sign-out"


def test_hr_is_offered_no_hardware_form_on_any_page(app, signed_in, world):
    pages = walk(signed_in("hr"), must_visit(world))
    assert must_visit(world) <= set(pages)
    assert_every_form_may_be_submitted(app, "hr", pages)
    on_hardware_pages = {p: [a for a in acts if a != SIGN_OUT] for p, acts in pages.items()
                         if p.startswith(HARDWARE_PAGES)}
    assert not {p: a for p, a in on_hardware_pages.items() if a}, "forms on hardware pages offered to HR"
    acting_on_hardware = {p: a for p, acts in pages.items() for a in acts
                          if a.startswith(HARDWARE_PAGES) or "/lines/" in a}
    assert not acting_on_hardware, "hardware actions offered to HR"
    # HR's own work is offered: opening cases on the people pages, clearance on the open offboarding case.
    assert f"/people/{world['hire']}/onboarding" in pages[f"/people/{world['hire']}"]
    assert f"/offboarding/{world['offboarding']}/clearance" in pages[f"/offboarding/{world['offboarding']}"]


def test_it_is_offered_the_hardware_forms_the_others_are_not(app, signed_in, world):
    """The control for the tests above: the same pages, walked as IT, do carry the forms."""
    pages = walk(signed_in("it"), must_visit(world))
    assert_every_form_may_be_submitted(app, "it", pages)
    w = world
    expected = {
        f"/assets/{w['held']}": {f"/assets/{w['held']}/checkin", f"/assets/{w['held']}/transfer"},
        f"/assets/{w['spare']}": {f"/assets/{w['spare']}/checkout"},
        f"/assets/{w['held']}/edit": {f"/assets/{w['held']}/edit"},
        "/catalogue": {"/catalogue/manufacturers", "/catalogue/models"},
        "/places": {"/places/departments", "/places/locations"},
    }
    for path, actions in expected.items():
        assert actions <= set(pages[path]), (path, pages[path])
    triage = pages["/triage"]
    for verb in ("promote", "link", "ignore", "accept", "reject"):
        assert any(a.endswith("/" + verb) for a in triage), (verb, triage)
    assert sum(a.endswith("/link") for a in triage) >= 3  # the unmatched item's, and one per conflict candidate
    assert any(a.endswith("/fulfil") for a in pages[f"/onboarding/{w['onboarding']}"])
    case = pages[f"/offboarding/{w['offboarding']}"]
    for verb in ("return", "transfer", "write-off"):
        assert any("/lines/" in a and a.endswith("/" + verb) for a in case), verb
