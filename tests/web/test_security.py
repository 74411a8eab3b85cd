"""Page security: CSRF on every form, headers, cookie flags, sign-in lockout and rate limit, logged refusals."""

import logging
import re
from datetime import timedelta

from inventory.extensions import db
from inventory.models import Assignment, User
from inventory.models.base import utcnow
from inventory.services.context import Context
from inventory.services.users import set_password
from tests.factories import create_asset, create_employee
from tests.web.conftest import PASSWORD, WebClient


def test_forms_without_this_sessions_csrf_token_are_refused(app, signed_in):
    asset, person = create_asset(), create_employee()
    it = signed_in("it")
    path = f"/assets/{asset.id}/checkout"
    assert it.post(path, {"employee_id": person.id}, csrf=False).status_code == 400
    assert it.post(path, {"employee_id": person.id, "csrf_token": "forged"}).status_code == 400
    other = signed_in("admin")  # a token from another session is no good either
    assert it.post(path, {"employee_id": person.id, "csrf_token": other.token}).status_code == 400
    db.session.rollback()
    assert db.session.query(Assignment).count() == 0
    r = it.post(path, {"employee_id": person.id})
    assert r.status_code == 303
    db.session.rollback()
    assert db.session.query(Assignment).count() == 1


def test_sign_in_form_needs_the_token_too(web, web_users):
    web.get("/signin")
    r = web.post("/signin", {"username": web_users["it"], "password": PASSWORD}, csrf=False)
    assert r.status_code == 400 and "Location" not in r.headers


def test_pages_send_security_headers_and_carry_no_inline_script_or_style(signed_in):
    asset = create_asset(hostname="lt-headers")
    it = signed_in("it")
    for path in ("/signin", "/", "/assets", f"/assets/{asset.id}", f"/assets/{asset.id}/edit", "/triage", "/people",
                 "/catalogue", "/places"):
        r = it.get(path)
        assert r.status_code == 200, path
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, csp
        assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Cache-Control"] == "no-store"
        html = r.get_data(as_text=True)
        assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html)), path
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), path
    assert it.get("/web-static/web.css").status_code == 200


def test_session_cookie_is_httponly_lax_and_secure_over_https(app, web_users):
    plain = app.test_client()
    cookie = plain.get("/signin").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    tls = app.test_client()
    cookie = tls.get("/signin", base_url="https://inventory.example").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_repeated_failures_lock_the_user_out_with_429_and_are_logged(app, web, web_users, caplog):
    caplog.set_level(logging.WARNING)
    user = web_users["it"]
    codes = [web.sign_in(user, "wrong-password").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    r = web.sign_in(user, PASSWORD)  # even the right password: the lockout holds
    assert r.status_code == 429 and 290 <= int(r.headers["Retry-After"]) <= 300
    assert b"Too many failed sign-ins" in r.data
    assert "failed sign-in: 'it-user'" in caplog.text and "locked out" in caplog.text
    assert web.sign_in(web_users["hr"]).status_code == 302  # other users are not affected
    db.session.rollback()
    db.session.query(User).filter_by(username=user).one().locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert web.sign_in(user, PASSWORD).status_code == 302


def test_sign_in_attempts_per_address_are_rate_limited(app, web, web_users):
    app.config["SIGNIN_RATE_LIMIT"] = 3
    try:
        codes = [web.sign_in(f"nobody-{i}", "x").status_code for i in range(3)]
        r = web.sign_in(web_users["it"])
        assert codes == [401, 401, 401] and r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    finally:
        app.config["SIGNIN_RATE_LIMIT"] = 20


def test_permission_denials_are_logged(signed_in, caplog):
    asset = create_asset(hostname="lt-denied")
    hr = signed_in("hr")
    caplog.set_level(logging.WARNING)
    r = hr.post(f"/assets/{asset.id}/edit", {"hostname": "changed"})
    assert r.status_code == 403
    assert f"permission denied: user:hr-user (hr) POST /assets/{asset.id}/edit" in caplog.text
    db.session.rollback()
    assert db.session.get(type(asset), asset.id).hostname == "lt-denied"


def test_a_new_password_ends_existing_sessions_and_next_only_goes_to_this_site(app, signed_in, web_users):
    it = signed_in("it")
    assert it.get("/assets").status_code == 200
    db.session.rollback()
    set_password(db.session.query(User).filter_by(username="it-user").one(), "another-password-1", Context("test"))
    db.session.commit()
    assert it.get("/assets").status_code == 302
    fresh = WebClient(app.test_client())
    fresh.get("/signin")
    r = fresh.post("/signin", {"username": web_users["hr"], "password": PASSWORD, "next": "//evil.example/x"})
    assert r.status_code == 302 and r.headers["Location"] == "/"
