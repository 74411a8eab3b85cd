"""Assets and their network interfaces."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import KINDS, STATUSES, JsonType, Timestamps, UTCDateTime, in_check


class Asset(Timestamps, db.Model):
    __tablename__ = "asset"
    __table_args__ = (
        # Serial numbers are unique per manufacturer (NULLs are distinct, so unknown ones do not collide).
        UniqueConstraint("manufacturer_id", "serial_number"),
        CheckConstraint(in_check("kind", KINDS), name="kind"),
        CheckConstraint(in_check("status", STATUSES), name="status"),
        CheckConstraint("purchase_cost_cents IS NULL OR purchase_cost_cents >= 0", name="cost"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_tag: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_stock", index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("asset_model.id", ondelete="RESTRICT"), index=True)
    # Copied from the model so that (manufacturer, serial) can be unique in the database.
    manufacturer_id: Mapped[int | None] = mapped_column(ForeignKey("manufacturer.id", ondelete="RESTRICT"))
    serial_number: Mapped[str | None] = mapped_column(String(100), index=True)
    hostname: Mapped[str | None] = mapped_column(String(255), index=True)
    imei: Mapped[str | None] = mapped_column(String(15), unique=True)
    phone_number: Mapped[str | None] = mapped_column(String(32))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"), index=True)
    purchase_date: Mapped[date | None] = mapped_column(Date)
    purchase_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    supplier: Mapped[str | None] = mapped_column(String(200))
    order_number: Mapped[str | None] = mapped_column(String(100))
    warranty_end: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict] = mapped_column(JsonType, default=dict)
    # Fields a person has set: scanners never overwrite them.
    locked_fields: Mapped[list] = mapped_column(JsonType, default=list)

    # What discovery knows: identifiers it matches on, and what it last saw.
    device_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    agent_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    os_name: Mapped[str | None] = mapped_column(String(200))
    os_version: Mapped[str | None] = mapped_column(String(100))
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_seen_source: Mapped[str | None] = mapped_column(String(20))
    missing_since: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Attributes as last observed (model, vendor, hardware, ports, software count...), and for locked
    # fields the observed value that differs from what a person set: {field: {value, source, seen_at}}.
    observed: Mapped[dict] = mapped_column(JsonType, default=dict)
    observed_diff: Mapped[dict] = mapped_column(JsonType, default=dict)

    interfaces: Mapped[list["NetworkInterface"]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="NetworkInterface.id", lazy="selectin"
    )


class NetworkInterface(db.Model):
    __tablename__ = "network_interface"
    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    mac: Mapped[str | None] = mapped_column(String(17), unique=True)  # lower-case colon form
    ip_addresses: Mapped[list] = mapped_column(JsonType, default=list)

    asset: Mapped[Asset] = relationship(back_populates="interfaces")
