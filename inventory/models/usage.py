"""Who uses what: directory logins of employees, identities and software seen on assets, assignment suggestions."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JsonType, UTCDateTime, in_check, utcnow

SUGGESTION_STATUSES = ("open", "accepted", "rejected", "superseded")


class EmployeeLogin(db.Model):
    """One directory login of an employee, by its normalised key (lower case, no domain prefix)."""

    __tablename__ = "employee_login"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    login_key: Mapped[str] = mapped_column(String(254), unique=True)


class AssetUser(db.Model):
    """A user identity seen on an asset: when first and last, how often and on how many days."""

    __tablename__ = "asset_user"
    __table_args__ = (UniqueConstraint("asset_id", "login_key"), Index("ix_asset_user_login_key", "login_key"))
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    login_key: Mapped[str] = mapped_column(String(254))
    login: Mapped[str] = mapped_column(String(254))  # as last reported, e.g. CORP\jdoe
    kind: Mapped[str] = mapped_column(String(20))  # current, last, enrolled
    source: Mapped[str] = mapped_column(String(20))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_day: Mapped[date] = mapped_column(Date)
    seen_count: Mapped[int] = mapped_column(Integer, default=1)
    days_seen: Mapped[int] = mapped_column(Integer, default=1)


class AssetUserDay(db.Model):
    """A day on which an identity was seen on an asset, with the latest sighting that day: days since a checkout."""

    __tablename__ = "asset_user_day"
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), primary_key=True)
    login_key: Mapped[str] = mapped_column(String(254), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class InstalledSoftware(db.Model):
    """A package an agent reported on an asset; rows the agent stops reporting are removed."""

    __tablename__ = "installed_software"
    __table_args__ = (UniqueConstraint("asset_id", "name_key", "version"), Index("ix_software_name", "name_key",
                                                                                 "version"))
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    name_key: Mapped[str] = mapped_column(String(255))  # lower case, for case-insensitive search
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(100), default="")
    publisher: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(20))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class AssignmentSuggestion(db.Model):
    """Discovery proposes that an unassigned asset belongs to the one employee seen using it."""

    __tablename__ = "assignment_suggestion"
    __table_args__ = (UniqueConstraint("asset_id", "employee_id"),
                      CheckConstraint(in_check("status", SUGGESTION_STATUSES), name="status"),
                      Index("ix_assignment_suggestion_status", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    evidence: Mapped[dict] = mapped_column(JsonType, default=dict)  # {logins, days_seen, first_seen, last_seen}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="SET NULL"))
