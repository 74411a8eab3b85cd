"""Manufacturers and asset models."""

from sqlalchemy import select

from ..errors import Conflict
from ..extensions import db
from ..models import Asset, AssetModel, Manufacturer
from ..normalize import manufacturer_key
from . import records
from .context import Context
from .pagination import keyset_page


def list_manufacturers(args: dict):
    stmt = select(Manufacturer)
    if args.get("q"):
        stmt = stmt.where(Manufacturer.name.ilike(f"%{args['q']}%"))
    return keyset_page(stmt, Manufacturer.id, args["limit"], args.get("cursor"))


def save_manufacturer(data: dict, ctx: Context, man: Manufacturer | None = None) -> Manufacturer:
    if "name" in data:
        data["name_key"] = manufacturer_key(data["name"]) or data["name"].lower()
        records.check_unique(Manufacturer, {"name_key": data["name_key"]}, {"name_key": None}, man.id if man else None)
    if man is None:
        return records.create(Manufacturer, data, ctx, "manufacturer")
    return records.update(man, data, ctx, "manufacturer")


def manufacturer_by_name(name: str, ctx: Context) -> Manufacturer:
    """The manufacturer of this name (any case), created when new."""
    key = manufacturer_key(name) or name.strip().lower()
    found = db.session.execute(select(Manufacturer).where(Manufacturer.name_key == key)).scalar()
    return found or save_manufacturer({"name": name.strip()}, ctx)


def delete_manufacturer(man: Manufacturer, ctx: Context) -> None:
    records.delete(man, ctx, "manufacturer", {"Models of this manufacturer exist.": AssetModel.manufacturer_id == man.id})


def list_models(args: dict):
    stmt = select(AssetModel)
    for key in ("manufacturer_id", "kind"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(AssetModel, key) == args[key])
    if args.get("q"):
        stmt = stmt.where(AssetModel.name.ilike(f"%{args['q']}%"))
    return keyset_page(stmt, AssetModel.id, args["limit"], args.get("cursor"))


def save_model(data: dict, ctx: Context, model: AssetModel | None = None) -> AssetModel:
    records.check_references(data, {"manufacturer_id": Manufacturer})
    man_id = data.get("manufacturer_id", model.manufacturer_id if model else None)
    name = data.get("name", model.name if model else None)
    clash = select(AssetModel.id).where(AssetModel.manufacturer_id == man_id, AssetModel.name == name)
    if model is not None:
        clash = clash.where(AssetModel.id != model.id)
    if db.session.execute(clash.limit(1)).first():
        raise Conflict("Already exists.", {"name": [f"'{name}' already exists for this manufacturer."]})
    if model is None:
        return records.create(AssetModel, data, ctx, "asset_model")
    if "manufacturer_id" in data and data["manufacturer_id"] != model.manufacturer_id:
        # Assets copy their model's manufacturer (for serial uniqueness): keep them in step.
        db.session.execute(Asset.__table__.update().where(Asset.model_id == model.id)
                           .values(manufacturer_id=data["manufacturer_id"]))
    return records.update(model, data, ctx, "asset_model")


def model_by_name(manufacturer: str, name: str, kind: str, ctx: Context) -> AssetModel:
    """The model of this manufacturer and name, created when new."""
    man = manufacturer_by_name(manufacturer, ctx)
    found = db.session.execute(
        select(AssetModel).where(AssetModel.manufacturer_id == man.id, AssetModel.name == name.strip())
    ).scalar()
    return found or save_model({"manufacturer_id": man.id, "name": name.strip(), "kind": kind}, ctx)


def delete_model(model: AssetModel, ctx: Context) -> None:
    records.delete(model, ctx, "asset_model", {"Assets of this model exist.": Asset.model_id == model.id})
