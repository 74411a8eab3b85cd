"""API tokens: create (shown once), list, revoke."""

from datetime import datetime

from sqlalchemy import select

from ..auth import hash_token, new_token
from ..errors import Conflict, NotFound
from ..extensions import db
from ..models import ApiToken
from ..models.base import ROLES, utcnow
from .changelog import record
from .context import Context


def create_token(name: str, role: str, ctx: Context, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if db.session.execute(select(ApiToken.id).where(ApiToken.name == name)).first():
        raise Conflict(f"A token named '{name}' exists already.")
    secret = new_token()
    token = ApiToken(name=name, role=role, token_hash=hash_token(secret), prefix=secret[:10], expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    record(ctx, "api_token", token.id, "create", None, {"name": name, "role": role,
                                                         "expires_at": expires_at.isoformat() if expires_at else None})
    return token, secret


def revoke_token(name: str, ctx: Context) -> ApiToken:
    token = db.session.execute(select(ApiToken).where(ApiToken.name == name)).scalar()
    if token is None:
        raise NotFound(f"No token named '{name}'.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(ctx, "api_token", token.id, "revoke", None, {"name": name})
    return token


def list_tokens() -> list[ApiToken]:
    return list(db.session.execute(select(ApiToken).order_by(ApiToken.id)).scalars())
