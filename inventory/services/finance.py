"""Finance: straight-line depreciation by asset model, book values, and warranties running out."""

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Asset, AssetModel, Assignment, Department, Employee


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 if end is before start): Jan 31 -> Feb 28 is 0, -> Mar 31 is 2."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def book_value(cost: int, salvage: int, months: int, purchased: date, as_of: date) -> tuple[int, int, int]:
    """(months elapsed, accumulated depreciation, book value) in integer cents, straight line.

    Depreciation is (cost - salvage) * elapsed // months: rounded down, so the book value never falls
    below what exact arithmetic gives, and reaches the salvage value exactly at the end of the period.
    """
    elapsed = min(months_between(purchased, as_of), months)
    depreciable = max(cost - min(salvage, cost), 0)
    depreciation = depreciable * elapsed // months
    return elapsed, depreciation, cost - depreciation


def _holders_departments() -> dict[int, str | None]:
    rows = db.session.execute(
        select(Assignment.asset_id, Department.name).join(Employee, Employee.id == Assignment.employee_id)
        .outerjoin(Department, Department.id == Employee.department_id).where(Assignment.checked_in_at.is_(None)))
    return dict(rows.all())


def depreciation(as_of: date | None = None, by: str = "asset") -> dict:
    """Book value per asset (by="asset") or summed per department of the holder (by="department").

    Only assets with a purchase date and cost whose model has a depreciation period count; disposed
    assets are off the books. Unheld assets fall under department "(in stock)".
    """
    as_of = as_of or date.today()
    default_currency = current_app.config["DEFAULT_CURRENCY"]
    stmt = (select(Asset, AssetModel).join(AssetModel, AssetModel.id == Asset.model_id)
            .where(AssetModel.depreciation_months.is_not(None), Asset.purchase_date.is_not(None),
                   Asset.purchase_cost_cents.is_not(None), Asset.status != "disposed").order_by(Asset.id))
    depts = _holders_departments()
    rows = []
    for asset, model in db.session.execute(stmt).all():
        salvage = model.salvage_value_cents or 0
        elapsed, dep, value = book_value(asset.purchase_cost_cents, salvage, model.depreciation_months,
                                         asset.purchase_date, as_of)
        rows.append({"asset_id": asset.id, "asset_tag": asset.asset_tag, "model": model.name,
                     "status": asset.status, "department": depts.get(asset.id, "(in stock)"),
                     "purchase_date": asset.purchase_date, "cost_cents": asset.purchase_cost_cents,
                     "salvage_value_cents": min(salvage, asset.purchase_cost_cents),
                     "months": model.depreciation_months, "months_elapsed": elapsed, "depreciation_cents": dep,
                     "book_value_cents": value, "currency": asset.currency or default_currency})
    if by == "department":
        sums: dict = defaultdict(lambda: {"assets": 0, "cost_cents": 0, "depreciation_cents": 0,
                                          "book_value_cents": 0})
        for r in rows:
            s = sums[(r["department"], r["currency"])]
            s["assets"] += 1
            for key in ("cost_cents", "depreciation_cents", "book_value_cents"):
                s[key] += r[key]
        rows = [{"department": d, "currency": c, **v} for (d, c), v in sorted(sums.items())]
    return {"as_of": as_of, "by": by, "rows": rows}


def warranties(within_days: int, today: date | None = None) -> dict:
    """Assets whose warranty ends within the next N days (today included), soonest first; disposed ones left out."""
    today = today or date.today()
    until = today + timedelta(days=within_days)
    stmt = (select(Asset, AssetModel.name).outerjoin(AssetModel, AssetModel.id == Asset.model_id)
            .where(Asset.warranty_end >= today, Asset.warranty_end <= until, Asset.status != "disposed")
            .order_by(Asset.warranty_end, Asset.id))
    holders = dict(db.session.execute(
        select(Assignment.asset_id, Employee.name).join(Employee, Employee.id == Assignment.employee_id)
        .where(Assignment.checked_in_at.is_(None))).all())
    rows = [{"asset_id": a.id, "asset_tag": a.asset_tag, "kind": a.kind, "model": model, "serial_number":
             a.serial_number, "status": a.status, "holder": holders.get(a.id), "warranty_end": a.warranty_end,
             "days_left": (a.warranty_end - today).days, "supplier": a.supplier}
            for a, model in db.session.execute(stmt).all()]
    return {"within_days": within_days, "rows": rows}
