"""Lifecycle records: acknowledgements of issued equipment, and repairs and maintenance."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, in_check, utcnow

ACK_STATES = ("pending", "accepted", "refused")
REPAIR_TYPES = ("repair", "upgrade", "inspection")
REPAIR_STATES = ("open", "completed")


class Acknowledgement(db.Model):
    """A one-time link sent to an employee to accept (or refuse) what was checked out to them."""

    __tablename__ = "acknowledgement"
    __table_args__ = (CheckConstraint(in_check("state", ACK_STATES), name="state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="RESTRICT"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the token itself is never stored
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A newer link for the same assignment replaces this one.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(String(2000))


class Repair(db.Model):
    __tablename__ = "repair"
    __table_args__ = (
        CheckConstraint(in_check("type", REPAIR_TYPES), name="type"),
        CheckConstraint(in_check("state", REPAIR_STATES), name="state"),
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="cost"),
        Index("uq_repair_open_asset", "asset_id", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    supplier: Mapped[str | None] = mapped_column(String(200))
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    started: Mapped[date] = mapped_column(Date)
    completed: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(String(4000))
    opened_by: Mapped[str] = mapped_column(String(200))
    completed_by: Mapped[str | None] = mapped_column(String(200))
