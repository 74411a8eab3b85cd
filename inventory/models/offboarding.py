"""Offboarding: a leaver's case and its lines (what they hold, or devices to check), closed one by one."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import EMPLOYEE_STATUSES, UTCDateTime, in_check, utcnow

OFFBOARDING_STATES = ("open", "cleared", "cancelled")
LINE_KINDS = ("held", "to_check")
LINE_STATES = ("open", "closed")
RESOLUTIONS = ("returned", "transferred", "lost", "stolen", "confirmed")
RETURN_STATUSES = ("in_stock", "in_repair", "retired")  # what a returned asset becomes
WRITE_OFF_STATUSES = ("lost", "stolen")


class OffboardingCase(db.Model):
    __tablename__ = "offboarding_case"
    __table_args__ = (
        CheckConstraint(in_check("state", OFFBOARDING_STATES), name="state"),
        CheckConstraint(in_check("status_before", EMPLOYEE_STATUSES), name="status_before"),
        # One open offboarding per employee, enforced by the database itself.
        Index("uq_offboarding_case_open_employee", "employee_id", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    last_day: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    # What the employee was before the case, restored if it is cancelled.
    status_before: Mapped[str] = mapped_column(String(10))
    end_date_before: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(2000))
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_by: Mapped[str | None] = mapped_column(String(200))
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(2000))

    lines: Mapped[list["OffboardingLine"]] = relationship(order_by="OffboardingLine.id", lazy="selectin")


class OffboardingLine(db.Model):
    """An item of a case: an asset the leaver holds ("held"), or a device to check ("to_check", asset optional)."""

    __tablename__ = "offboarding_line"
    __table_args__ = (
        CheckConstraint(in_check("kind", LINE_KINDS), name="kind"),
        CheckConstraint(in_check("state", LINE_STATES), name="state"),
        CheckConstraint("resolution IS NULL OR " + in_check("resolution", RESOLUTIONS), name="resolution"),
        CheckConstraint("kind = 'to_check' OR asset_id IS NOT NULL", name="held_asset"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("offboarding_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="held")
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[str | None] = mapped_column(String(2000))  # why a to_check line was added
    due_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolution: Mapped[str | None] = mapped_column(String(20))
    condition: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(String(2000))
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
