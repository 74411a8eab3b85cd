"""Web users: people who sign in to the pages; passwords stored as werkzeug hashes, never in clear."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Timestamps, UTCDateTime, in_check

# Scanners push over the API with tokens; a person signing in has one of these roles.
WEB_ROLES = ("admin", "it", "hr", "auditor")


class User(Timestamps, db.Model):
    __tablename__ = "web_user"  # "user" is reserved in PostgreSQL
    __table_args__ = (CheckConstraint(in_check("role", WEB_ROLES), name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Lockout after repeated failures is kept in the database: every gunicorn worker sees the same count.
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
