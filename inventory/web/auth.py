"""Sign in and out: a session cookie for people; API clients keep their bearer tokens."""

import secrets

from flask import Blueprint, current_app, flash, redirect, request, session, url_for

from ..auth import limiter
from ..extensions import db
from ..models.base import utcnow
from ..services import users
from .common import render

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would make the sign-in page a phishing tool."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return url_for("web.home.dashboard")


def _refused(message: str, status: int, username: str, retry_after: int | None = None):
    body, status = render("web/signin.html", status, error=message, username=username, next=request.form.get("next"))
    return body, status, ({"Retry-After": str(retry_after)} if retry_after else {})


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    """Sign in with username and password."""
    if request.method == "GET":
        return render("web/signin.html", next=request.args.get("next"), username="")
    username = request.form.get("username", "")[:100]
    address = request.remote_addr or "?"
    cfg = current_app.config
    wait = limiter.hit(f"signin:{address}", int(cfg["SIGNIN_RATE_LIMIT"]))
    if wait is not None:
        current_app.logger.warning("sign-in rate limited: %r from %s", username, address)
        return _refused(f"Too many sign-in attempts from your address: wait {wait} seconds.", 429, username, wait)
    result = users.sign_in(username, request.form.get("password", ""), utcnow(), int(cfg["SIGNIN_MAX_FAILURES"]),
                           int(cfg["SIGNIN_LOCKOUT_SECONDS"]))
    db.session.commit()  # a failure is counted even though the sign-in is refused
    if result.locked_for:
        current_app.logger.warning("sign-in refused (locked out): %r from %s", username, address)
        return _refused(f"Too many failed sign-ins for this user: try again in {result.locked_for} seconds.", 429,
                        username, result.locked_for)
    if result.user is None:
        current_app.logger.warning("failed sign-in: %r from %s", username, address)
        return _refused("Wrong username or password.", 401, username)
    # A fresh session (new CSRF token too): nothing planted before sign-in survives it.
    session.clear()
    session.permanent = True
    session.update(uid=result.user.id, stamp=users.stamp(result.user), csrf=secrets.token_urlsafe(32))
    current_app.logger.info("signed in: %s (%s) from %s", result.user.username, result.user.role, address)
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/signout")
def signout():
    """Sign out: the session is forgotten."""
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("web.auth.signin"))
