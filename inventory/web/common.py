"""Helpers shared by the page views: acting context, CSRF token, form values, rendering."""

import hmac
import secrets

from flask import current_app, flash, g, render_template, request, session, url_for

from ..auth import allowed, current_actor
from ..errors import ApiError
from ..services.context import Context

CSRF_FIELD = "csrf_token"


def ctx() -> Context:
    return Context(actor=current_actor(), request_id=g.get("request_id"))


def csrf_token() -> str:
    """The session's CSRF token, made on first use; every form posts it back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a form that does not carry this session's token (a cross-site forgery, or an expired page)."""
    sent = request.form.get(CSRF_FIELD, "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        current_app.logger.warning("csrf refused: %s %s from %s", request.method, request.path, request.remote_addr)
        raise ApiError(400, "This form has expired or did not come from this site: reload the page and try again.")


def role() -> str | None:
    principal = g.get("principal")
    return principal.role if principal else None


def can(area: str, method: str = "POST") -> bool:
    """May the signed-in user do this in a page area (web.<area>)? The same table the server enforces."""
    r = role()
    return r is not None and allowed(r, f"web.{area}", method)


def form_values(names) -> dict:
    """Submitted form fields, trimmed; empty means None (a cleared field)."""
    out = {}
    for name in names:
        if name in request.form:
            value = request.form.get(name, "").strip()
            out[name] = value or None
    return out


def to_int(data: dict, name: str, errors: dict) -> None:
    if data.get(name) is None:
        return
    try:
        data[name] = int(data[name])
    except ValueError:
        errors[name] = ["Choose one of the listed values."]


def flatten(messages) -> dict:
    """marshmallow or service errors as {field: [text, ...]}."""
    out = {}
    for key, value in (messages or {}).items():
        if isinstance(value, dict):
            value = [f"{k}: {v}" for k, v in value.items()]
        out[key] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return out


def flash_acknowledgement_link(assignment) -> None:
    """Show the one-time link made with a checkout once, as a full URL IT can send to the person.

    Only the token's hash is kept, so this flash (rendered by base.html) is the one chance to see it.
    """
    token = getattr(assignment, "acknowledgement_token", None)
    if token:
        flash(url_for("acknowledgements.AcknowledgementLink", token=token, _external=True), "acknowledgement")


def render(template: str, status: int = 200, **context):
    return render_template(template, **context), status
