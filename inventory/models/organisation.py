"""Organisation: departments, locations (site > building > room) and employees."""

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import EMPLOYEE_STATUSES, LOCATION_KINDS, JsonType, Timestamps, in_check


class Department(Timestamps, db.Model):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    cost_center: Mapped[str | None] = mapped_column(String(50))


class Location(Timestamps, db.Model):
    __tablename__ = "location"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint(in_check("kind", LOCATION_KINDS), name="kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="site")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"), index=True)
    address: Mapped[str | None] = mapped_column(String(300))


class Employee(Timestamps, db.Model):
    __tablename__ = "employee"
    __table_args__ = (CheckConstraint(in_check("status", EMPLOYEE_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    job_title: Mapped[str | None] = mapped_column(String(200))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    # Directory logins as given (jdoe, CORP\jdoe); their normalised keys live in employee_login for lookups.
    logins: Mapped[list] = mapped_column(JsonType, default=list)
