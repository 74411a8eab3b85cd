"""Authentication by bearer token and the one table of which role may do what."""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, request
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, object_session

from .errors import ApiError
from .extensions import db
from .models import ApiToken
from .models.base import utcnow
from .ratelimit import RateLimiter

limiter = RateLimiter()

READERS = frozenset({"admin", "it", "hr", "auditor"})
IT = frozenset({"admin", "it"})
PEOPLE_WRITERS = frozenset({"admin", "it", "hr"})
SCANNERS = frozenset({"admin", "scanner"})
ADMIN = frozenset({"admin"})

# Per blueprint: roles allowed to read (GET/HEAD) and to write (other methods).
# A blueprint missing here is open to admin only: nothing escapes the table by accident.
POLICY: dict[str, tuple[frozenset, frozenset]] = {
    "assets": (READERS, IT),
    "catalogue": (READERS, IT),
    "employees": (READERS, PEOPLE_WRITERS),
    "organisation": (READERS, IT),
    "changes": (READERS, ADMIN),
    "observations": (SCANNERS, SCANNERS),
    "triage": (READERS, IT),
    "sightings": (READERS, ADMIN),
    "imports": (IT, IT),
    "software": (READERS, ADMIN),
    "suggestions": (READERS, IT),
    # People and lifecycle: HR runs onboarding/offboarding (open, follow, clear, cancel); IT issues and takes back.
    "kits": (READERS, IT),
    "onboarding": (READERS, PEOPLE_WRITERS),
    "fulfilment": (READERS, IT),
    "offboarding": (READERS, PEOPLE_WRITERS),
    "offboarding_lines": (READERS, IT),
    "acknowledgements": (READERS, PEOPLE_WRITERS),
    "repairs": (READERS, IT),
    "reports": (READERS, ADMIN),
    # Inventory agents (/agent/*, their own protocols): a scanner-role token as basic password or secret path.
    "agents": (SCANNERS, SCANNERS),
    # Web pages (signed-in users; see authorize_web_request): the same rules as the matching API.
    "web.auth": (READERS, READERS),
    "web.home": (READERS, ADMIN),
    "web.assets": (READERS, IT),
    "web.asset_edit": (IT, IT),
    "web.triage": (READERS, IT),
    "web.people": (READERS, PEOPLE_WRITERS),
    "web.catalogue": (READERS, IT),
    "web.cases": (READERS, PEOPLE_WRITERS),
    "web.case_lines": (READERS, IT),  # fulfil onboarding lines, close offboarding lines
}
PUBLIC_ENDPOINTS = frozenset({"health.Health", "api-docs.openapi_json", "api-docs.openapi_swagger_ui", "swagger_ui",
                              "static", "web.static", "web.auth.signin",
                              # The token in the URL is the credential of an acknowledgement link.
                              "acknowledgements.AcknowledgementLink"})


@dataclass(frozen=True)
class Principal:
    kind: str  # "token" or "user"
    name: str
    role: str

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.name}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "inv_" + secrets.token_urlsafe(32)


def allowed(role: str, blueprint: str | None, method: str) -> bool:
    if role == "admin":
        return True
    read_roles, write_roles = POLICY.get(blueprint or "", (ADMIN, ADMIN))
    return role in (read_roles if method in ("GET", "HEAD", "OPTIONS") else write_roles)


def principal_from_request() -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return principal_for_token(token.strip())


# Valid tokens seen lately, per app: {hash: (until, generation, principal)}. A change to a token in this process
# (revoke, expiry, role, delete) bumps the generation, so it is refused at once here; other processes (the CLI,
# other workers) see it within TOKEN_CACHE_SECONDS (default 2, 0 = no cache), never after the token expires.
TOKEN_CACHE_SECONDS = 2
TOKEN_CACHE_SIZE = 1000
_generation = 0


def _tokens_changed() -> None:
    global _generation
    _generation += 1


@event.listens_for(ApiToken, "after_update")
@event.listens_for(ApiToken, "after_delete")
def _token_written(_mapper, _conn, target) -> None:
    _tokens_changed()
    session = object_session(target)
    if session is not None:  # once more at commit: a lookup between flush and commit may have cached the old row
        session.info["tokens_changed"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if session.info.pop("tokens_changed", False):
        _tokens_changed()


def principal_for_token(token: str) -> Principal | None:
    """The principal a token stands for, if it is valid (not revoked, not expired); valid ones are cached briefly."""
    digest = hash_token(token)
    cache = current_app.extensions.setdefault("token_cache", {})
    hit = cache.get(digest)
    if hit is not None and hit[1] == _generation and hit[0] > time.monotonic():
        return hit[2]
    generation = _generation
    # Own connection, outside the request's session: the request transaction has not begun yet.
    with db.engine.connect() as conn:
        row = conn.execute(
            select(ApiToken.id, ApiToken.name, ApiToken.role, ApiToken.token_hash, ApiToken.expires_at,
                   ApiToken.revoked_at, ApiToken.last_used_at).where(ApiToken.token_hash == digest)
        ).first()
    # The lookup is by hash; compare again in constant time so no timing tells how close a guess was.
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    _touch(row.id, row.last_used_at, now)
    principal = Principal("token", row.name, row.role)
    ttl = float(current_app.config.get("TOKEN_CACHE_SECONDS", TOKEN_CACHE_SECONDS))
    if row.expires_at is not None:
        ttl = min(ttl, (row.expires_at - now).total_seconds())
    if ttl > 0:
        if len(cache) >= TOKEN_CACHE_SIZE:
            cache.clear()
        cache[digest] = (time.monotonic() + ttl, generation, principal)
    return principal


def _touch(token_id: int, last_used: datetime | None, now: datetime) -> None:
    interval = timedelta(seconds=current_app.config["TOKEN_TOUCH_INTERVAL"])
    if last_used is not None and now - last_used < interval:
        return
    # Own short transaction: a read request must not become a writer of the main session.
    try:
        with db.engine.begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    except Exception:  # noqa: BLE001 - last-used is best effort; never fail a request for it
        current_app.logger.warning("could not record token use", exc_info=True)


def authorize_api_request() -> None:
    """before_request for /api: 401 without a valid token, 403 when the role may not do this."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    header = request.headers.get("Authorization")
    authorize_token(principal_from_request(), bool(header),
                    "A valid bearer token is required (Authorization: Bearer <token>).")


def authorize_token(principal: Principal | None, presented: bool, unauthenticated: str,
                    headers: dict[str, str] | None = None, source: str = "bearer") -> Principal:
    """The one check of a token-authenticated request, wherever the token came from (bearer header, or an agent's
    basic password or secret path): 401 without a valid token, 403 when POLICY does not allow the role this
    blueprint and method, 429 (Retry-After) past the token's write rate; refusals of a presented token are logged."""
    if principal is None:
        if presented:
            current_app.logger.warning("%s token refused: %s %s from %s", source, request.method, request.path,
                                       request.remote_addr)
        raise ApiError(401, unauthenticated, headers=headers)
    g.principal = principal
    if not allowed(principal.role, request.blueprint, request.method):
        current_app.logger.warning(
            "permission denied: %s (%s) %s %s", principal.actor, principal.role, request.method, request.path
        )
        raise ApiError(403, f"Role '{principal.role}' may not {request.method} {request.path}.")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        wait = limiter.hit(f"write:{principal.actor}", int(current_app.config["WRITE_RATE_LIMIT"]))
        if wait is not None:
            current_app.logger.warning("write rate limit: %s %s %s", principal.actor, request.method, request.path)
            raise ApiError(429, f"Too many writes from {principal.actor}; retry in {wait} s.",
                           headers={"Retry-After": str(wait)})
    return principal


class SignInRequired(ApiError):
    """A page needs a signed-in user: the web layer answers with the sign-in page."""

    def __init__(self):
        super().__init__(401, "Sign in to see this page.")


def authorize_web_request() -> None:
    """before_request for pages: a signed-in user (session) whose role the table allows, or refused."""
    from flask import session

    from .services.users import session_user

    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return
    user = session_user(session.get("uid"), session.get("stamp"))
    if user is None:
        raise SignInRequired()
    principal = g.principal = Principal("user", user.username, user.role)
    if not allowed(principal.role, request.blueprint, request.method):
        current_app.logger.warning(
            "permission denied: %s (%s) %s %s", principal.actor, principal.role, request.method, request.path
        )
        raise ApiError(403, f"Your role ({principal.role}) may not do this.")


def current_actor() -> str:
    principal = g.get("principal")
    return principal.actor if principal else "system"
