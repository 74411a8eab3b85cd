"""Assignments: who holds an asset, from checkout to checkin."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Assignment(db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        # At most one open assignment per asset, enforced by the database itself.
        Index(
            "uq_assignment_open_asset",
            "asset_id",
            unique=True,
            sqlite_where=text("checked_in_at IS NULL"),
            postgresql_where=text("checked_in_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    checked_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_back: Mapped[date | None] = mapped_column(Date)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    condition: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(String(2000))
    checkin_note: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str] = mapped_column(String(20), default="manual")
    checked_out_by: Mapped[str] = mapped_column(String(200))
    checked_in_by: Mapped[str | None] = mapped_column(String(200))
