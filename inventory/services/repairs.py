"""Repairs and maintenance: opening one moves the asset to in_repair, completing it returns it to in_stock."""

from datetime import date

from flask import current_app
from sqlalchemy import select, update

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Asset, Repair
from ..models.base import utcnow
from .assignment import current_holder
from .changelog import jsonable, record
from .context import Context
from .pagination import keyset_page

FIELDS = ("asset_id", "type", "state", "supplier", "cost_cents", "currency", "started", "completed", "notes",
          "opened_by", "completed_by")


def _snap(repair: Repair) -> dict:
    return {f: jsonable(getattr(repair, f)) for f in FIELDS}


def get_repair(repair_id: int) -> Repair:
    repair = db.session.get(Repair, repair_id) if 0 < repair_id < 2**63 else None
    if repair is None:
        raise NotFound(f"Repair {repair_id} not found.")
    return repair


def list_repairs(args: dict, asset_id: int | None = None):
    stmt = select(Repair)
    if asset_id is not None:
        stmt = stmt.where(Repair.asset_id == asset_id)
    if args.get("state"):
        stmt = stmt.where(Repair.state == args["state"])
    return keyset_page(stmt, Repair.id, args["limit"], args.get("cursor"), newest_first=True)


def open_repair(asset: Asset, data: dict, ctx: Context) -> Repair:
    """Open a repair, upgrade or inspection: the asset must be in stock (check it in first if checked out)."""
    holder = current_holder(asset.id)
    if holder is not None:
        raise Conflict(f"Asset {asset.asset_tag} is checked out to {holder.name}; check it in first.")
    started = data.get("started") or date.today()
    if started > date.today():
        raise Invalid("Invalid input.", {"started": ["Must not be in the future."]})
    # The status flip is the lock: of two concurrent openings one moves the asset, the other is refused.
    moved = db.session.execute(update(Asset).where(Asset.id == asset.id, Asset.status == "in_stock")
                               .values(status="in_repair", updated_at=utcnow())).rowcount
    if not moved:
        db.session.refresh(asset)
        raise Conflict(f"Asset {asset.asset_tag} is {asset.status}; only in_stock assets go to repair.")
    if data.get("cost_cents") is not None and not data.get("currency"):
        data["currency"] = asset.currency or current_app.config["DEFAULT_CURRENCY"]
    repair = Repair(asset_id=asset.id, type=data["type"], supplier=data.get("supplier"),
                    cost_cents=data.get("cost_cents"), currency=data.get("currency"), started=started,
                    notes=data.get("notes"), opened_by=ctx.actor)
    db.session.add(repair)
    db.session.flush()
    record(ctx, "repair", repair.id, "create", None, _snap(repair))
    record(ctx, "asset", asset.id, "repair_opened", {"status": "in_stock"},
           {"status": "in_repair", "repair_id": repair.id, "type": repair.type, "supplier": repair.supplier})
    return repair


def complete_repair(repair: Repair, data: dict, ctx: Context) -> Repair:
    """Complete an open repair (final cost, notes); the asset goes back to in_stock."""
    if repair.state != "open":
        raise Conflict(f"Repair {repair.id} is completed already.")
    completed = data.get("completed") or date.today()
    if completed < repair.started:
        raise Invalid("Invalid input.", {"completed": ["Must not be before the repair started."]})
    before = _snap(repair)
    repair.state, repair.completed, repair.completed_by = "completed", completed, ctx.actor
    for key in ("cost_cents", "currency", "supplier"):
        if data.get(key) is not None:
            setattr(repair, key, data[key])
    if repair.cost_cents is not None and not repair.currency:
        asset = db.session.get(Asset, repair.asset_id)
        repair.currency = asset.currency or current_app.config["DEFAULT_CURRENCY"]
    if data.get("notes"):
        repair.notes = f"{repair.notes}\n{data['notes']}" if repair.notes else data["notes"]
    db.session.execute(update(Asset).where(Asset.id == repair.asset_id).values(status="in_stock", updated_at=utcnow()))
    db.session.flush()
    after = _snap(repair)
    record(ctx, "repair", repair.id, "complete", {k: v for k, v in before.items() if after[k] != v},
           {k: v for k, v in after.items() if before[k] != v})
    record(ctx, "asset", repair.asset_id, "repair_completed", {"status": "in_repair"},
           {"status": "in_stock", "repair_id": repair.id, "cost_cents": repair.cost_cents,
            "currency": repair.currency})
    return repair
