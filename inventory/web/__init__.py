"""Server-rendered pages for IT staff and HR: a parent blueprint, a child per area, roles from auth.POLICY."""

from datetime import timedelta

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    get_flashed_messages,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

from ..auth import SignInRequired
from ..errors import ApiError
from ..extensions import db
from . import assets, auth, cases, catalogue, common, home, offboarding, people, triage  # noqa: F401 (routes)

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/web-static")
for child in (auth.bp, home.bp, assets.bp, assets.edit_bp, triage.bp, people.bp, catalogue.bp, cases.bp, cases.lines_bp):
    bp.register_blueprint(child)

DEFAULTS = {
    "SIGNIN_MAX_FAILURES": 5,  # wrong passwords in a row before a user is locked out
    "SIGNIN_LOCKOUT_SECONDS": 300,
    "SIGNIN_RATE_LIMIT": 20,  # sign-in attempts per minute per client address (and worker)
    "SESSION_HOURS": 10,
}


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (or always, if configured)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config["SESSION_COOKIE_NAME"] = "inventory_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(app.config["SESSION_HOURS"]))
    app.session_interface = SessionInterface()
    app.register_blueprint(bp)


@bp.before_request
def _csrf():
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        common.check_csrf()


@bp.after_request
def _no_store(response):
    if response.mimetype in ("text/html", "text/csv"):
        response.headers["Cache-Control"] = "no-store"  # pages show who holds what: keep them out of caches
    return response


@bp.context_processor
def _template_helpers():
    return {"principal": g.get("principal"), "csrf_token": common.csrf_token, "can": common.can,
            "messages": get_flashed_messages(with_categories=True)}


@bp.errorhandler(SignInRequired)
def _sign_in(e):
    db.session.rollback()
    if request.method == "GET":
        return redirect(url_for("web.auth.signin", next=request.full_path.rstrip("?")))
    return _page(e.code, e.message)


@bp.errorhandler(ApiError)
def _api_error(e: ApiError):
    db.session.rollback()
    return _page(e.code, e.message, e.headers)


@bp.errorhandler(HTTPException)
def _http_error(e: HTTPException):
    db.session.rollback()
    return _page(e.code or 500, e.description)


def _page(code: int, message: str, headers: dict | None = None):
    if code >= 500:
        current_app.logger.warning("page error %s: %s", code, message)
    body, status = common.render("web/error.html", code, code=code, message=message)
    return body, status, headers or {}
