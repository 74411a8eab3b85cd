"""Onboarding: kits (templates of what a role gets) and onboarding cases whose lines IT fulfils."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import KINDS, JsonType, Timestamps, UTCDateTime, in_check, utcnow

ONBOARDING_STATES = ("open", "complete", "cancelled")


class Kit(Timestamps, db.Model):
    __tablename__ = "kit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    job_title: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str | None] = mapped_column(String(2000))

    lines: Mapped[list["KitLine"]] = relationship(cascade="all, delete-orphan", order_by="KitLine.position",
                                                  lazy="selectin")


class KitLine(db.Model):
    """What one line of a kit asks for: a kind, optionally an exact model, minimum specs, a free requirement."""

    __tablename__ = "kit_line"
    __table_args__ = (
        CheckConstraint(in_check("kind", KINDS), name="kind"),
        CheckConstraint("quantity BETWEEN 1 AND 100", name="quantity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("kit.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("asset_model.id", ondelete="RESTRICT"), index=True)
    # Minimum numeric values of the model's specs, e.g. {"memory_gb": 16}; checked when a line is fulfilled.
    min_specs: Mapped[dict] = mapped_column(JsonType, default=dict)
    requirement: Mapped[str | None] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class OnboardingCase(db.Model):
    __tablename__ = "onboarding_case"
    __table_args__ = (
        CheckConstraint(in_check("state", ONBOARDING_STATES), name="state"),
        # One open onboarding per employee, enforced by the database itself.
        Index("uq_onboarding_case_open_employee", "employee_id", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"), index=True)
    kit_id: Mapped[int | None] = mapped_column(ForeignKey("kit.id", ondelete="SET NULL"), index=True)
    kit_name: Mapped[str] = mapped_column(String(100))  # kept: the kit may change or go later
    needed_by: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(2000))

    lines: Mapped[list["OnboardingLine"]] = relationship(order_by="OnboardingLine.id", lazy="selectin")


class OnboardingLine(db.Model):
    """One unit to issue (a kit line of quantity 2 makes two), copied from the kit when the case opened."""

    __tablename__ = "onboarding_line"
    __table_args__ = (CheckConstraint(in_check("kind", KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("onboarding_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("asset_model.id", ondelete="RESTRICT"))
    min_specs: Mapped[dict] = mapped_column(JsonType, default=dict)
    requirement: Mapped[str | None] = mapped_column(String(500))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="RESTRICT"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="RESTRICT"))
    fulfilled_by: Mapped[str | None] = mapped_column(String(200))
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
