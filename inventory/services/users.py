"""Web users: create, sign in with lockout after repeated failures, and the first admin."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import User
from ..models.user import WEB_ROLES
from .changelog import record
from .context import Context

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@\-]{0,99}$")
MIN_PASSWORD = 10
# Checked when the username is unknown, so that a miss costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password-" + secrets.token_hex(8))


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_for: int = 0  # seconds left of a lockout; the password was not even checked


def _normal(username: str) -> str:
    return (username or "").strip().lower()


def stamp(user_or_hash) -> str:
    """A short fingerprint of the password hash kept in the session: a new password ends old sessions."""
    value = user_or_hash if isinstance(user_or_hash, str) else user_or_hash.password_hash
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _snapshot(user: User) -> dict:
    return {"username": user.username, "role": user.role, "active": user.active}  # never the hash


def create_user(username: str, role: str, ctx: Context, password: str | None = None) -> tuple[User, str | None]:
    """Create a user; return it and the password if one was generated (shown once, stored only hashed)."""
    name = _normal(username)
    errors = {}
    if not USERNAME.match(name):
        errors["username"] = ["1-100 characters: letters, digits, '.', '_', '-', '@'."]
    if role not in WEB_ROLES:
        errors["role"] = [f"One of {', '.join(WEB_ROLES)}."]
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = [f"At least {MIN_PASSWORD} characters."]
    if errors:
        raise Invalid("Invalid input.", errors)
    if db.session.execute(select(User.id).where(User.username == name)).first():
        raise Conflict("Already exists.", {"username": [f"'{name}' is already a user."]})
    generated = secrets.token_urlsafe(12) if password is None else None
    user = User(username=name, role=role, password_hash=generate_password_hash(password or generated), active=True,
                failed_count=0)
    db.session.add(user)
    db.session.flush()
    record(ctx, "web_user", user.id, "create", None, _snapshot(user))
    return user, generated


def ensure_admin(ctx: Context, username: str = "admin") -> tuple[str, str] | None:
    """Make a first admin when no active admin exists; return (username, password) if one was made."""
    if db.session.execute(select(User.id).where(User.role == "admin", User.active.is_(True)).limit(1)).first():
        return None
    taken = db.session.execute(select(User.id).where(User.username == username)).first()
    name = f"{username}-{secrets.token_hex(3)}" if taken else username
    user, password = create_user(name, "admin", ctx)
    return user.username, password


def sign_in(username: str, password: str, now: datetime, max_failures: int, lockout_seconds: int) -> SignInResult:
    """Check a password. After max_failures wrong ones in a row the user is locked for lockout_seconds.

    While locked, the password is not checked at all: a right guess during lockout tells nothing.
    The caller commits either way (a failure is recorded).
    """
    user = db.session.execute(select(User).where(User.username == _normal(username))).scalar()
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password or "")
        return SignInResult(None)
    if user.locked_until is not None and user.locked_until > now:
        return SignInResult(None, max(1, int((user.locked_until - now).total_seconds() + 0.999)))
    if not check_password_hash(user.password_hash, password or ""):
        # One UPDATE with the increment in SQL: two workers counting the same user do not lose a failure.
        count = User.failed_count + 1
        db.session.execute(update(User).where(User.id == user.id).values(failed_count=count))
        db.session.refresh(user)
        if user.failed_count >= max_failures:
            user.locked_until, user.failed_count = now + timedelta(seconds=lockout_seconds), 0
            db.session.flush()
            return SignInResult(None, lockout_seconds)
        return SignInResult(None)
    user.failed_count, user.locked_until, user.last_sign_in_at = 0, None, now
    db.session.flush()
    return SignInResult(user)


def session_user(user_id, user_stamp) -> User | None:
    """The active user a session names, if its password stamp still matches; read on its own connection."""
    if not isinstance(user_id, int) or not 0 < user_id < 2**63 or not isinstance(user_stamp, str):
        return None
    with db.engine.connect() as conn:
        row = conn.execute(select(User.id, User.username, User.role, User.password_hash, User.active)
                           .where(User.id == user_id)).first()
    if row is None or not row.active or not secrets.compare_digest(stamp(row.password_hash), user_stamp):
        return None
    return User(id=row.id, username=row.username, role=row.role)


def set_password(user: User, password: str, ctx: Context) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid("Invalid input.", {"password": [f"At least {MIN_PASSWORD} characters."]})
    user.password_hash, user.failed_count, user.locked_until = generate_password_hash(password), 0, None
    db.session.flush()
    record(ctx, "web_user", user.id, "password", None, {"username": user.username})


def list_users() -> list[User]:
    return list(db.session.execute(select(User).order_by(User.username)).scalars())
