"""The asset list as people browse it: the API's filters, any sortable column, keyset pages, names for display."""

import base64
import binascii
import json
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, literal, or_, select

from ..errors import ApiError
from ..extensions import db
from ..models import Asset, AssetModel, Assignment, Employee, Location, Manufacturer
from ..models.base import UTCDateTime
from . import assets, importer

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


def _encode(value, last_id: int) -> str:
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    raw = json.dumps(["s1", value, last_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, sort: str):
    try:
        tag, value, last_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if tag != "s1" or not isinstance(last_id, int) or not 0 <= last_id < 2**63:
            raise ValueError(cursor)
        low = SORTS[sort][1]
        if isinstance(low, datetime):
            value = datetime.fromisoformat(value)
        elif isinstance(low, date):
            value = date.fromisoformat(value)
        elif not isinstance(value, type(low)):
            raise ValueError(cursor)
        return value, last_id
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error):
        raise ApiError(400, "Invalid cursor: follow the page links unchanged.") from None


def browse(args: dict, sort: str = "id", descending: bool = False) -> tuple[list[dict], str | None]:
    """One page of assets matching the list filters, ordered by sort (then id); items carry display names."""
    key = _key(sort)
    stmt = assets.filter_assets(args, select(Asset.__table__, key.label("sort_key")))
    if args.get("cursor"):
        value, last_id = _decode(args["cursor"], sort)
        if sort == "id":
            stmt = stmt.where(Asset.id < last_id if descending else Asset.id > last_id)
        elif descending:
            stmt = stmt.where(or_(key < value, and_(key == value, Asset.id < last_id)))
        else:
            stmt = stmt.where(or_(key > value, and_(key == value, Asset.id > last_id)))
    order = (key.desc(), Asset.id.desc()) if descending else (key, Asset.id)
    rows = [dict(r) for r in db.session.execute(stmt.order_by(*order).limit(args["limit"] + 1)).mappings()]
    cursor = None
    if len(rows) > args["limit"]:
        rows = rows[: args["limit"]]
        cursor = _encode(rows[-1]["sort_key"], rows[-1]["id"])
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
