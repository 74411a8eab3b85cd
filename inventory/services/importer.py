"""Apply imported register rows (all or nothing) and export the register as rows."""

from sqlalchemy import func, or_, select

from ..errors import ApiError, Invalid
from ..extensions import db
from ..models import Asset, AssetModel, Assignment, Department, Employee, Location, Manufacturer, NetworkInterface
from . import assets, assignment, catalogue, organisation
from .context import Context


def _location_by_path(path: str, ctx: Context, cache: dict) -> Location:
    """'Site / Building / Room' (or a bare name): the location, created along the path when missing."""
    if path in cache:
        return cache[path]
    parent = None
    for name in [p.strip() for p in path.split("/") if p.strip()]:
        stmt = select(Location).where(Location.name == name,
                                      Location.parent_id.is_(None) if parent is None else Location.parent_id == parent.id)
        found = db.session.execute(stmt).scalar()
        kind = "site" if parent is None else "building" if parent.kind == "site" else "room"
        parent = found or organisation.save_location({"name": name, "kind": kind,
                                                      "parent_id": parent.id if parent else None}, ctx)
    cache[path] = parent
    return parent


def _employee_by_reference(ref: str) -> Employee | None:
    """An employee by number, email or exact name (case-insensitive)."""
    low = ref.strip().lower()
    found = db.session.execute(select(Employee).where(or_(
        Employee.employee_number == ref.strip(), Employee.email == low, func.lower(Employee.name) == low))).scalars()
    matches = list(found)
    return matches[0] if len(matches) == 1 else None


def _apply(rows, apply_row, what: str) -> dict:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    errors: dict[str, list[str]] = {}
    for line, data, refs in rows:
        try:
            with db.session.begin_nested():
                counts[apply_row(data, refs)] += 1
        except ApiError as e:
            detail = [f"{k}: {'; '.join(map(str, v))}" for k, v in (e.errors or {}).items()] or [e.message]
            errors[f"line {line}"] = detail
    if errors:
        raise Invalid(f"{len(errors)} row(s) of the {what} file are invalid; nothing was imported.", errors)
    return counts


def import_assets(rows: list[tuple[int, dict, dict]], ctx: Context) -> dict:
    locations: dict = {}

    def apply_row(data: dict, refs: dict) -> str:
        if "model" in refs:
            kind = data.get("kind") or "computer"
            data["model_id"] = catalogue.model_by_name(refs["manufacturer"], refs["model"], kind, ctx).id
        if "location" in refs:
            data["location_id"] = _location_by_path(refs["location"], ctx, locations).id
        holder = None
        if "assigned_to" in refs:
            holder = _employee_by_reference(refs["assigned_to"])
            if holder is None:
                raise Invalid("Unknown holder.", {"assigned_to": [f"No single employee matches '{refs['assigned_to']}'."]})
        if data.get("status") == "deployed":  # deployed comes from the checkout below, not from the column
            del data["status"]
            if holder is None:
                raise Invalid("Deployed without holder.", {"status": ["'deployed' needs an assigned_to employee."]})
        existing = None
        if data.get("asset_tag"):
            existing = db.session.execute(select(Asset).where(Asset.asset_tag == data["asset_tag"])).scalar()
        if existing is None:
            if not data.get("kind"):
                raise Invalid("Missing kind.", {"kind": ["Required for a new asset."]})
            asset, outcome = assets.create_asset(data, ctx), "created"
        else:
            before = assets.asset_snapshot(existing)
            asset = assets.update_asset(existing, data, ctx)
            outcome = "unchanged" if assets.asset_snapshot(asset) == before else "updated"
        current = assignment.current_holder(asset.id)
        if holder is not None and (current is None or current.id != holder.id):
            if current is not None:
                assignment.check_in(asset.id, ctx, note="Re-assigned by import")
            assignment.check_out(asset.id, holder.id, ctx, note="Imported")
            outcome = "created" if outcome == "created" else "updated"
        return outcome

    return _apply(rows, apply_row, "asset")


def import_employees(rows: list[tuple[int, dict, dict]], ctx: Context) -> dict:
    def apply_row(data: dict, refs: dict) -> str:
        if "department" in refs:
            dept = db.session.execute(select(Department).where(Department.name == refs["department"])).scalar()
            data["department_id"] = (dept or organisation.save_department({"name": refs["department"]}, ctx)).id
        if "manager" in refs:
            manager = _employee_by_reference(refs["manager"])
            if manager is None:
                raise Invalid("Unknown manager.", {"manager": [f"No single employee matches '{refs['manager']}'."]})
            data["manager_id"] = manager.id
        if "location" in refs:
            data["location_id"] = _location_by_path(refs["location"], ctx, {}).id
        existing = None
        if data.get("employee_number"):
            existing = db.session.execute(
                select(Employee).where(Employee.employee_number == data["employee_number"])).scalar()
        if existing is None:
            missing = [k for k in ("employee_number", "name", "email") if not data.get(k)]
            if missing:
                raise Invalid("Missing fields.", {k: ["Required for a new employee."] for k in missing})
            organisation.save_employee(data, ctx)
            return "created"
        before = {k: getattr(existing, k) for k in data}
        organisation.save_employee(data, ctx, existing)
        return "unchanged" if all(getattr(existing, k) == v for k, v in before.items()) else "updated"

    return _apply(rows, apply_row, "employee")


def _location_paths() -> dict[int, str]:
    rows = db.session.execute(select(Location.id, Location.name, Location.parent_id)).all()
    by_id = {r.id: r for r in rows}

    def path(i):
        r = by_id[i]
        return r.name if r.parent_id is None else f"{path(r.parent_id)} / {r.name}"

    return {i: path(i) for i in by_id}


def export_assets(ids=None) -> list[dict]:
    """Every asset as CSV rows; ids (a select of asset ids, e.g. a filtered list) narrows it."""
    paths = _location_paths()
    models = {m.id: (man, m.name) for m, man in db.session.execute(
        select(AssetModel, Manufacturer.name).join(Manufacturer, Manufacturer.id == AssetModel.manufacturer_id))}
    holders = dict(db.session.execute(select(Assignment.asset_id, Employee.employee_number).join(
        Employee, Employee.id == Assignment.employee_id).where(Assignment.checked_in_at.is_(None))).all())
    macs: dict[int, list[str]] = {}
    for asset_id, mac in db.session.execute(select(NetworkInterface.asset_id, NetworkInterface.mac)
                                            .where(NetworkInterface.mac.is_not(None))):
        macs.setdefault(asset_id, []).append(mac)
    out = []
    assets = select(Asset).order_by(Asset.id)
    for a in db.session.execute(assets if ids is None else assets.where(Asset.id.in_(ids))).scalars():
        man, model = models.get(a.model_id, (None, None))
        cost = a.purchase_cost_cents
        out.append({
            "asset_tag": a.asset_tag, "kind": a.kind, "status": a.status, "manufacturer": man, "model": model,
            "serial_number": a.serial_number, "hostname": a.hostname, "imei": a.imei, "phone_number": a.phone_number,
            "location": paths.get(a.location_id), "purchase_date": a.purchase_date,
            "purchase_cost": f"{cost // 100}.{cost % 100:02d}" if cost is not None else None,
            "currency": a.currency, "supplier": a.supplier, "order_number": a.order_number,
            "warranty_end": a.warranty_end, "notes": a.notes, "macs": ";".join(macs.get(a.id, [])),
            "assigned_to": holders.get(a.id),
        })
    return out


def export_employees() -> list[dict]:
    paths = _location_paths()
    depts = dict(db.session.execute(select(Department.id, Department.name)).all())
    numbers = dict(db.session.execute(select(Employee.id, Employee.employee_number)).all())
    return [{
        "employee_number": e.employee_number, "name": e.name, "email": e.email, "department": depts.get(e.department_id),
        "job_title": e.job_title, "manager": numbers.get(e.manager_id), "location": paths.get(e.location_id),
        "start_date": e.start_date, "end_date": e.end_date, "status": e.status,
    } for e in db.session.execute(select(Employee).order_by(Employee.id)).scalars()]
