"""Kits: named templates of what a role gets, and which in-stock assets satisfy a kit line."""

from sqlalchemy import select

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import Asset, AssetModel, Department, Kit, KitLine, OnboardingCase
from . import records
from .changelog import jsonable, record
from .context import Context
from .pagination import keyset_page

LINE_FIELDS = ("kind", "model_id", "min_specs", "requirement", "quantity")


def list_kits(args: dict):
    stmt = select(Kit)
    if args.get("q"):
        stmt = stmt.where(Kit.name.ilike(f"%{args['q']}%"))
    for key in ("department_id", "job_title"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Kit, key) == args[key])
    return keyset_page(stmt, Kit.id, args["limit"], args.get("cursor"))


def _snapshot(kit: Kit) -> dict:
    return {"name": kit.name, "job_title": kit.job_title, "department_id": kit.department_id,
            "description": kit.description, "lines": [{f: jsonable(getattr(ln, f)) for f in LINE_FIELDS}
                                                      for ln in kit.lines]}


def _check_lines(lines: list[dict]) -> None:
    errors = {}
    for i, line in enumerate(lines):
        model_id = line.get("model_id")
        if model_id is None:
            continue
        model = db.session.get(AssetModel, model_id)
        if model is None:
            errors[str(i)] = {"model_id": [f"AssetModel {model_id} does not exist."]}
        elif model.kind != line["kind"]:
            errors[str(i)] = {"model_id": [f"Model {model.name} is a {model.kind}, not a {line['kind']}."]}
    if errors:
        raise Invalid("Invalid kit lines.", {"lines": errors})


def save_kit(data: dict, ctx: Context, kit: Kit | None = None) -> Kit:
    """Create a kit, or change it (lines given replace the old ones); open cases keep their own copy."""
    records.check_references(data, {"department_id": Department})
    records.check_unique(Kit, data, {"name": None}, kit.id if kit else None)
    lines = data.pop("lines", None)
    if kit is None and not lines:
        raise Invalid("Invalid input.", {"lines": ["A kit needs at least one line."]})
    if lines is not None:
        _check_lines(lines)
    before = _snapshot(kit) if kit else None
    if kit is None:
        kit = Kit(**data)
        db.session.add(kit)
    else:
        for key, value in data.items():
            setattr(kit, key, value)
    if lines is not None:
        kit.lines = [KitLine(position=i, **{f: line.get(f) for f in LINE_FIELDS}) for i, line in enumerate(lines)]
        for ln in kit.lines:
            ln.min_specs = ln.min_specs or {}
    db.session.flush()
    after = _snapshot(kit)
    if before != after:
        record(ctx, "kit", kit.id, "create" if before is None else "update", before, after)
    return kit


def delete_kit(kit: Kit, ctx: Context) -> None:
    """Delete a kit no open onboarding uses (closed cases keep its name)."""
    if db.session.execute(select(OnboardingCase.id).where(OnboardingCase.kit_id == kit.id,
                                                          OnboardingCase.state == "open").limit(1)).first():
        raise Conflict("An open onboarding case uses this kit.")
    before = _snapshot(kit)
    kit_id = kit.id
    db.session.delete(kit)
    db.session.flush()
    record(ctx, "kit", kit_id, "delete", before, None)


def mismatches(line, asset: Asset) -> list[str]:
    """Why an asset does not satisfy a line (kind, exact model, minimum specs); empty if it does."""
    reasons = []
    if asset.kind != line.kind:
        reasons.append(f"{asset.asset_tag} is a {asset.kind}; this line needs a {line.kind}.")
    if line.model_id is not None and asset.model_id != line.model_id:
        model = db.session.get(AssetModel, line.model_id)
        reasons.append(f"This line needs model {model.name if model else line.model_id}.")
    specs = {}
    if line.min_specs:
        model = db.session.get(AssetModel, asset.model_id) if asset.model_id else None
        specs = (model.specs if model else None) or {}
    for key, minimum in (line.min_specs or {}).items():
        value = specs.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < minimum:
            reasons.append(f"{key} must be at least {minimum} (the asset's model has {value}).")
    return reasons


def candidates(line, limit: int = 20) -> list[Asset]:
    """In-stock assets that satisfy a line, oldest first (kind and model in SQL, specs checked per model)."""
    stmt = select(Asset).where(Asset.status == "in_stock", Asset.kind == line.kind)
    if line.model_id is not None:
        stmt = stmt.where(Asset.model_id == line.model_id)
    found = []
    for asset in db.session.execute(stmt.order_by(Asset.id).limit(2000)).scalars():
        if not mismatches(line, asset):
            found.append(asset)
            if len(found) >= limit:
                break
    return found
