"""Web page tests: users per role, a signed-in test client, and Playwright on Debian's Chromium (screenshot on failure)."""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/lib/chromium/chromium"
SHOTS = ROOT / "test-artifacts" / "web"
PASSWORD = "correct-horse-battery"
WEB_ROLES = ("admin", "it", "hr", "auditor")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--disable-gpu"]}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / (re.sub(r"[^\w.-]+", "_", item.nodeid) + ".png")
        try:
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
        except Exception as e:  # noqa: BLE001 - a failed screenshot must not hide the test's own failure
            report.sections.append(("screenshot", f"could not be taken: {e}"))


@pytest.fixture
def web_users(app):
    """One web user per role, all with PASSWORD: role -> username."""
    from inventory.extensions import db
    from inventory.services.context import Context
    from inventory.services.users import create_user

    for role in WEB_ROLES:
        create_user(f"{role}-user", role, Context("test"), PASSWORD)
    db.session.commit()
    return {role: f"{role}-user" for role in WEB_ROLES}


@pytest.fixture(autouse=True)
def _fresh_limits():
    from inventory.auth import limiter

    limiter._windows.clear()
    yield
    limiter._windows.clear()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class WebClient:
    """The Flask test client as a browser would use it: a session cookie and the CSRF token of the last page."""

    def __init__(self, client):
        self.client, self.token = client, None

    def _fresh(self):
        from inventory.extensions import db

        db.session.rollback()  # the request shares the test's session: start it without an open transaction

    def get(self, path, **kw):
        self._fresh()
        r = self.client.get(path, **kw)
        if r.mimetype == "text/html" and b'name="csrf_token"' in r.data:
            self.token = csrf_of(r.get_data(as_text=True))
        return r

    def post(self, path, data=None, csrf=True, **kw):
        self._fresh()
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token or "")
        return self.client.post(path, data=data, **kw)

    def sign_in(self, username, password=PASSWORD):
        self.get("/signin")
        return self.post("/signin", {"username": username, "password": password})


@pytest.fixture
def web(app):
    return WebClient(app.test_client())


@pytest.fixture
def signed_in(app, web_users):
    """role -> a WebClient signed in with that role."""

    def make(role):
        client = WebClient(app.test_client())
        r = client.sign_in(web_users[role])
        assert r.status_code == 302, r.get_data(as_text=True)
        client.get("/")
        return client

    return make
