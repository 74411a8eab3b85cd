"""Catalogue: manufacturers and asset models."""

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import KINDS, JsonType, Timestamps, in_check


class Manufacturer(Timestamps, db.Model):
    __tablename__ = "manufacturer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Lower-case name: "DELL INC." and "Dell Inc." are one manufacturer.
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(String(2000))


class AssetModel(Timestamps, db.Model):
    __tablename__ = "asset_model"
    __table_args__ = (
        UniqueConstraint("manufacturer_id", "name"),
        CheckConstraint(in_check("kind", KINDS), name="kind"),
        CheckConstraint("depreciation_months IS NULL OR depreciation_months > 0", name="depreciation_months"),
        CheckConstraint("salvage_value_cents IS NULL OR salvage_value_cents >= 0", name="salvage_value"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    manufacturer_id: Mapped[int] = mapped_column(ForeignKey("manufacturer.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    model_number: Mapped[str | None] = mapped_column(String(100))
    specs: Mapped[dict] = mapped_column(JsonType, default=dict)
    notes: Mapped[str | None] = mapped_column(String(2000))
    # Finance: straight-line depreciation over this many months down to the salvage value (asset's currency).
    depreciation_months: Mapped[int | None] = mapped_column(Integer)
    salvage_value_cents: Mapped[int | None] = mapped_column(BigInteger)
