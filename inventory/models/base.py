"""Shared column types and vocabularies for the models."""

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

KINDS = ("computer", "phone", "mobile_device", "network_device", "peripheral")
MAX_ID = 2**31 - 1  # ids are the databases' 32-bit integers: routes, bodies and messages say so
STATUSES = ("in_stock", "deployed", "in_repair", "lost", "stolen", "retired", "disposed")
EMPLOYEE_STATUSES = ("active", "leaving", "left")
LOCATION_KINDS = ("site", "building", "floor", "room")
ROLES = ("admin", "it", "hr", "scanner", "auditor")

JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone: we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def in_check(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK constraint that a column holds one of values."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
