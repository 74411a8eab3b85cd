"""The asset list as people browse it: the API's filters, any sortable column, keyset pages, names for display."""

from datetime import UTC, date, datetime

from sqlalchemy import func, literal, or_, select

from ..extensions import db
from ..models import Asset, AssetModel, Assignment, Employee, Location, Manufacturer
from ..models.base import UTCDateTime
from . import assets, importer
from .pagination import after_key, decode_keyed_cursor, encode_keyed_cursor

# Sort key -> (column, value that stands for NULL). NULLs are replaced so that both databases order alike
# (SQLite puts NULL first, PostgreSQL last) and the keyset condition stays a plain comparison.
_LOW_DATE, _LOW_TIME = date(1, 1, 1), datetime(1, 1, 1, tzinfo=UTC)
SORTS = {
    "asset_tag": (Asset.asset_tag, ""), "kind": (Asset.kind, ""), "status": (Asset.status, ""),
    "hostname": (Asset.hostname, ""), "serial_number": (Asset.serial_number, ""),
    "warranty_end": (Asset.warranty_end, _LOW_DATE), "purchase_date": (Asset.purchase_date, _LOW_DATE),
    "last_seen_at": (Asset.last_seen_at, _LOW_TIME), "id": (Asset.id, 0),
}


def _key(sort: str):
    column, low = SORTS[sort]
    if sort == "id":
        return column
    if isinstance(low, datetime):
        return func.coalesce(column, literal(low, UTCDateTime), type_=UTCDateTime)
    return func.coalesce(column, low, type_=column.type)


def _parse(sort: str):
    """How a cursor's value for this sort is restored (dates and times come as ISO text)."""
    low = SORTS[sort][1]

    def parse(value):
        if isinstance(low, datetime):
            return datetime.fromisoformat(value)
        if isinstance(low, date):
            return date.fromisoformat(value)
        if not isinstance(value, type(low)) or isinstance(value, bool):
            raise ValueError(value)
        return value
    return parse


def browse(args: dict, sort: str = "id", descending: bool = False) -> tuple[list[dict], str | None]:
    """One page of assets matching the list filters, ordered by sort (then id); items carry display names."""
    key = _key(sort)
    stmt = assets.filter_assets(args, select(Asset.__table__, key.label("sort_key")))
    if args.get("cursor"):
        value, last_id = decode_keyed_cursor(args["cursor"], "s1", _parse(sort))
        if sort == "id":
            stmt = stmt.where(Asset.id < last_id if descending else Asset.id > last_id)
        else:
            stmt = stmt.where(after_key(key, Asset.id, value, last_id, descending))
    order = (key.desc(), Asset.id.desc()) if descending else (key, Asset.id)
    rows = [dict(r) for r in db.session.execute(stmt.order_by(*order).limit(args["limit"] + 1)).mappings()]
    cursor = None
    if len(rows) > args["limit"]:
        rows = rows[: args["limit"]]
        cursor = encode_keyed_cursor("s1", rows[-1]["sort_key"], rows[-1]["id"])
    return with_names(rows), cursor


def with_names(rows: list[dict]) -> list[dict]:
    """Add model, location and holder names to asset rows (a query each for the whole page)."""
    ids = [r["id"] for r in rows]
    model_ids = {r["model_id"] for r in rows if r["model_id"]}
    location_ids = {r["location_id"] for r in rows if r["location_id"]}
    models = dict(db.session.execute(
        select(AssetModel.id, Manufacturer.name + " " + AssetModel.name)
        .join(Manufacturer, Manufacturer.id == AssetModel.manufacturer_id).where(AssetModel.id.in_(model_ids))).all())
    places = dict(db.session.execute(select(Location.id, Location.name).where(Location.id.in_(location_ids))).all())
    holders = {a: (e, n) for a, e, n in db.session.execute(
        select(Assignment.asset_id, Employee.id, Employee.name).join(Employee, Employee.id == Assignment.employee_id)
        .where(Assignment.asset_id.in_(ids), Assignment.checked_in_at.is_(None)))}
    for r in rows:
        r["model_name"] = models.get(r["model_id"])
        r["location_name"] = places.get(r["location_id"])
        r["holder_id"], r["holder_name"] = holders.get(r["id"], (None, None))
    return rows


def find_holder(text: str) -> int | None:
    """The employee a person typed: employee number or email exactly, else the one name that contains it."""
    text = text.strip()
    found = db.session.execute(select(Employee.id).where(
        or_(Employee.employee_number == text, Employee.email == text.lower()))).scalar()
    if found is not None:
        return found
    named = db.session.execute(select(Employee.id).where(Employee.name.ilike(f"%{text}%")).limit(2)).scalars().all()
    return named[0] if len(named) == 1 else None


def export_rows(args: dict) -> list[dict]:
    """CSV rows (the export format of the register) of every asset matching the filters, not just one page."""
    return importer.export_assets(assets.filter_assets(args, select(Asset.id)))


def employee_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Employee.id, Employee.name).where(Employee.id.in_(ids))).all())


def asset_tags(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Asset.id, Asset.asset_tag).where(Asset.id.in_(ids))).all())
