"""Discovery: received batches, network sightings, triage items and alerts."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JsonType, UTCDateTime, in_check, utcnow

TRIAGE_KINDS = ("unmatched", "conflict")
TRIAGE_STATUSES = ("open", "promoted", "linked", "ignored")


class IngestBatch(db.Model):
    """One received batch; (scanner, scan_id, batch) makes a re-push return the first answer."""

    __tablename__ = "ingest_batch"
    __table_args__ = (UniqueConstraint("scanner", "scan_id", "batch"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    scanner: Mapped[str] = mapped_column(String(100))
    scan_id: Mapped[str] = mapped_column(String(100))
    batch: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(default=False)
    scope: Mapped[list] = mapped_column(JsonType, default=list)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    observation_count: Mapped[int] = mapped_column(Integer)
    # The answer as sent, so a re-push is answered with the very same bytes at the cost of one lookup.
    result_json: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))


class Sighting(db.Model):
    """Where an asset was seen: one row per (ip, mac, switch, port, vlan, source), widened in time."""

    __tablename__ = "sighting"
    __table_args__ = (
        # '' rather than NULL in the key columns so that the unique constraint (and upsert) covers them.
        UniqueConstraint("asset_id", "ip", "mac", "switch", "port", "vlan", "source"),
        Index("ix_sighting_switch_port", "switch", "port"),
        Index("ix_sighting_last_seen", "last_seen"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    ip: Mapped[str] = mapped_column(String(45), default="", index=True)
    mac: Mapped[str] = mapped_column(String(17), default="", index=True)
    switch: Mapped[str] = mapped_column(String(255), default="")
    port: Mapped[str] = mapped_column(String(100), default="")
    vlan: Mapped[str] = mapped_column(String(10), default="")
    source: Mapped[str] = mapped_column(String(20))
    scanner: Mapped[str] = mapped_column(String(100))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class TriageItem(db.Model):
    """What discovery could not place: unmatched observations and conflicts, one per identity."""

    __tablename__ = "triage_item"
    __table_args__ = (
        CheckConstraint(in_check("kind", TRIAGE_KINDS), name="kind"),
        CheckConstraint(in_check("status", TRIAGE_STATUSES), name="status"),
        Index("ix_triage_item_open", "status", "kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Best identifier, e.g. "serial:ABC|dell", "mac:00:14:22:..": repeated sightings update one item.
    identity_key: Mapped[str] = mapped_column(String(300), unique=True)
    identifiers: Mapped[dict] = mapped_column(JsonType, default=dict)
    observation: Mapped[dict] = mapped_column(JsonType, default=dict)
    candidates: Mapped[list] = mapped_column(JsonType, default=list)  # conflicts: [{asset_id, rule}]
    sightings: Mapped[list] = mapped_column(JsonType, default=list)  # kept until the item becomes an asset
    source: Mapped[str] = mapped_column(String(20))
    scanner: Mapped[str] = mapped_column(String(100))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_count: Mapped[int] = mapped_column(Integer, default=1)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(500))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Alert(db.Model):
    """Something a person should look at, e.g. a leaver's device seen on the network."""

    __tablename__ = "alert"
    __table_args__ = (
        Index("uq_alert_open", "kind", "asset_id", "employee_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    # A second employee the alert concerns (e.g. the one seen using another's device): shown on both.
    related_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(500))
    details: Mapped[dict] = mapped_column(JsonType, default=dict)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
