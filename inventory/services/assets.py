"""Assets: list with filters, create, update, delete; interfaces travel with their asset."""

import re
import uuid

from sqlalchemy import bindparam, exists, or_, select

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Asset, AssetModel, Assignment, Employee, Location, NetworkInterface
from ..normalize import normalize_hostname, normalize_mac, normalize_serial
from . import records
from .asset_history import history_of
from .changelog import diff, jsonable, record, snapshot
from .context import Context
from .pagination import decode_cursor, encode_cursor, raw_rows

# Fields a person sets that scanners must not overwrite afterwards.
LOCKABLE = ("kind", "model_id", "serial_number", "hostname", "imei", "phone_number", "location_id")
ASSET_FIELDS = [c.key for c in Asset.__table__.columns if c.key not in ("created_at", "updated_at")]
CREATE_STATUSES = ("in_stock", "in_repair", "lost", "stolen", "retired", "disposed")
OPEN = Assignment.checked_in_at.is_(None)


def asset_snapshot(asset: Asset) -> dict:
    snap = snapshot(asset, ASSET_FIELDS)
    snap["interfaces"] = [{"mac": i.mac, "name": i.name, "ip_addresses": jsonable(i.ip_addresses)}
                          for i in asset.interfaces]
    return snap


# Filters that are plain equality on an asset column: the list runs them as one statement compiled once per shape.
PLAIN_FILTERS = ("kind", "status", "model_id", "manufacturer_id", "location_id", "asset_tag")
_PAGE_KEYS = {"limit", "cursor"}


def _page_statement(args: dict, after: bool, limit, asset_id=None):
    """One statement for a page: the assets (filtered, after the cursor, limited) with their holder, joined to
    their interfaces (one row per interface, or one with no interface)."""
    holder = select(Assignment.employee_id).where(Assignment.asset_id == Asset.id, OPEN).scalar_subquery()
    stmt = filter_assets(args, select(Asset.__table__, holder.label("assigned_to")))
    if after:
        stmt = stmt.where(Asset.id > bindparam("after"))
    if asset_id is not None:
        stmt = stmt.where(Asset.id == asset_id)
    stmt = stmt.order_by(Asset.id)
    page = (stmt if limit is None else stmt.limit(limit)).cte("page")
    nic = NetworkInterface.__table__
    return (select(page, nic.c.id.label("interface_id"), nic.c.mac.label("interface_mac"),
                   nic.c.name.label("interface_name"), nic.c.ip_addresses.label("interface_ips"))
            .outerjoin(nic, nic.c.asset_id == page.c.id).order_by(page.c.id, nic.c.id))


def _assemble(names: list[str], rows) -> list[dict]:
    """Rows of _page_statement (one per interface) as asset dicts with their interfaces."""
    width = len(names) - 4
    keys = names[:width]
    items: list[dict] = []
    last = None
    for row in rows:
        if row[0] != last:
            last = row[0]
            item = dict(zip(keys, row[:width], strict=True))
            item["interfaces"] = []
            items.append(item)
        if row[width] is not None:
            item["interfaces"].append({"mac": row[width + 1], "name": row[width + 2], "ip_addresses": row[width + 3]})
    return items


def get_asset(asset_id: int) -> dict:
    """One asset as the API shows it."""
    if not 0 < asset_id < 2**63:
        raise NotFound(f"Asset {asset_id} not found.")
    names, rows = raw_rows("asset", lambda: _page_statement({}, False, None, bindparam("id")), {"id": asset_id})
    if not rows:
        raise NotFound(f"Asset {asset_id} not found.")
    return _assemble(names, rows)[0]


def list_assets(args: dict) -> tuple[list[dict], str | None]:
    """A keyset page of assets, filtered; plain filters run on the DBAPI cursor (the API's hottest path)."""
    limit = args["limit"]
    after = decode_cursor(args["cursor"]) if args.get("cursor") else None
    used = tuple(sorted(k for k, v in args.items() if v is not None and k not in _PAGE_KEYS))
    if all(k in PLAIN_FILTERS for k in used):
        params = {k: args[k] for k in used}
        params.update(after=after, limit=limit + 1)
        names, rows = raw_rows(("assets", used, after is not None), lambda: _page_statement(
            {k: bindparam(k) for k in used}, after is not None, bindparam("limit")), params)
    else:
        stmt = _page_statement(args, after is not None, limit + 1)
        result = db.session.connection().execute(stmt, {"after": after} if after is not None else {})
        names, rows = list(result.keys()), result.all()
    items = _assemble(names, rows)
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_cursor(items[-1]["id"])


def filter_assets(args: dict, stmt=None):
    """stmt (default: every asset column) narrowed by the list filters; shared by the API, pages and exports."""
    stmt = select(Asset.__table__) if stmt is None else stmt
    for key in ("kind", "status", "model_id", "manufacturer_id", "location_id", "asset_tag"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Asset, key) == args[key])
    if args.get("serial"):
        stmt = stmt.where(Asset.serial_number == (normalize_serial(args["serial"]) or args["serial"].strip()))
    if args.get("hostname"):
        stmt = stmt.where(Asset.hostname == normalize_hostname(args["hostname"]))
    if args.get("imei"):
        stmt = stmt.where(Asset.imei == args["imei"].replace(" ", "").replace("-", ""))
    if args.get("mac"):
        stmt = stmt.where(Asset.id.in_(select(NetworkInterface.asset_id).where(NetworkInterface.mac == args["mac"])))
    if args.get("assigned_to") is not None:
        stmt = stmt.where(Asset.id.in_(select(Assignment.asset_id).where(OPEN,
                                                                         Assignment.employee_id == args["assigned_to"])))
    if args.get("department_id") is not None:
        held = select(Assignment.asset_id).join(Employee, Employee.id == Assignment.employee_id)
        stmt = stmt.where(Asset.id.in_(held.where(OPEN, Employee.department_id == args["department_id"])))
    if args.get("assigned") is not None:
        is_out = exists().where(Assignment.asset_id == Asset.id, OPEN)
        stmt = stmt.where(is_out if args["assigned"] else ~is_out)
    if args.get("q"):
        stmt = stmt.where(_free_text(args["q"]))
    if args.get("missing") is not None:
        stmt = stmt.where(Asset.missing_since.is_not(None) if args["missing"] else Asset.missing_since.is_(None))
    if args.get("seen_since") is not None:
        stmt = stmt.where(Asset.last_seen_at >= args["seen_since"])
    return stmt


def _free_text(q: str):
    """Tag, serial, host name or holder containing q, the IMEI q, or a MAC that is (or contains) q."""
    text = q.strip()
    like = f"%{text}%"
    mac = normalize_mac(q)
    fragment = text.lower().replace("-", ":")
    holder = select(Assignment.asset_id).join(Employee, Employee.id == Assignment.employee_id).where(
        OPEN, Employee.name.ilike(like))
    arms = [holder]
    if mac or _MAC_FRAGMENT.fullmatch(fragment):  # a stored MAC is hex digits and colons: nothing else is in one
        arms.append(select(NetworkInterface.asset_id).where(
            NetworkInterface.mac == mac if mac else NetworkInterface.mac.like(f"%{fragment}%")))
    own = [Asset.asset_tag.ilike(like), Asset.serial_number.ilike(like), Asset.hostname.ilike(like),
           Asset.imei == text]
    return or_(*own, *(Asset.id.in_(arm) for arm in arms))


_MAC_FRAGMENT = re.compile(r"[0-9a-f:]+")


# IMEI and phone number belong to phones and mobile devices (what a person types; discovery reports what it sees).
CELLULAR_KINDS = ("phone", "mobile_device")
CELLULAR_FIELDS = ("imei", "phone_number")


def _check_cellular(data: dict, asset: Asset | None, errors: dict) -> None:
    """A change that sets a kind, an IMEI or a phone number must leave them agreeing (422 naming the field)."""
    kind = data.get("kind", asset.kind if asset else None)
    if kind is None or kind in CELLULAR_KINDS:
        return
    touched = CELLULAR_FIELDS if asset is None or "kind" in data else [f for f in CELLULAR_FIELDS if f in data]
    for field in touched:
        value = data[field] if field in data else getattr(asset, field, None)
        if value is not None:
            label = "An IMEI" if field == "imei" else "A phone number"
            errors[field] = [f"{label} is only for phones and mobile devices, not a {kind.replace('_', ' ')}"
                             + ("; clear it to change the kind." if field not in data else ".")]


def _prepare(data: dict, asset: Asset | None, person: bool = True) -> dict:
    """Normalise identifiers, resolve the model's manufacturer, check references and uniqueness.

    person: a person's write (API, CSV, demo), held to the rules for typed-in data; discovery's is not.
    """
    errors = {}
    if person:
        _check_cellular(data, asset, errors)
    if data.get("serial_number") is not None:
        serial = normalize_serial(data["serial_number"])
        if serial is None:
            errors["serial_number"] = ["A placeholder, not a serial number; leave it empty instead."]
        data["serial_number"] = serial
    if "hostname" in data:
        data["hostname"] = normalize_hostname(data["hostname"])
    if errors:
        raise Invalid("Invalid input.", errors)
    records.check_references(data, {"model_id": AssetModel, "location_id": Location})
    if "model_id" in data:
        model = db.session.get(AssetModel, data["model_id"]) if data["model_id"] else None
        data["manufacturer_id"] = model.manufacturer_id if model else None
    exclude = asset.id if asset else None
    records.check_unique(Asset, data, {"asset_tag": None, "imei": None}, exclude)
    serial = data.get("serial_number", asset.serial_number if asset else None)
    man = data.get("manufacturer_id", asset.manufacturer_id if asset else None)
    if serial and ("serial_number" in data or "manufacturer_id" in data):
        clash = select(Asset.id).where(Asset.serial_number == serial, Asset.manufacturer_id.is_(None) if man is None
                                       else Asset.manufacturer_id == man)
        if exclude:
            clash = clash.where(Asset.id != exclude)
        if db.session.execute(clash.limit(1)).first():
            raise Conflict("Already exists.", {"serial_number": [f"'{serial}' is already registered for this maker."]})
    if data.get("interfaces") is not None:
        _check_macs(data["interfaces"], exclude)
    return data


def _check_macs(interfaces: list[dict], exclude: int | None) -> None:
    macs = [i["mac"] for i in interfaces if i.get("mac")]
    if len(macs) != len(set(macs)):
        raise Invalid("Invalid input.", {"interfaces": ["The same MAC is listed twice."]})
    if macs:
        stmt = select(NetworkInterface.mac, NetworkInterface.asset_id).where(NetworkInterface.mac.in_(macs))
        if exclude:
            stmt = stmt.where(NetworkInterface.asset_id != exclude)
        taken = db.session.execute(stmt).all()
        if taken:
            raise Conflict("A MAC belongs to another asset.",
                           {"interfaces": [f"{mac} belongs to asset {aid}." for mac, aid in taken]})


def _next_tag(asset: Asset) -> str:
    from flask import current_app  # settings only; services never read the request

    prefix, digits = current_app.config["ASSET_TAG_PREFIX"], current_app.config["ASSET_TAG_DIGITS"]
    tag, n = f"{prefix}{asset.id:0{digits}d}", 1
    while db.session.execute(select(Asset.id).where(Asset.asset_tag == tag)).first():
        n += 1
        tag = f"{prefix}{asset.id:0{digits}d}-{n}"
    return tag


def create_asset(data: dict, ctx: Context, lock: bool = True) -> Asset:
    status = data.setdefault("status", "in_stock")
    if status not in CREATE_STATUSES:
        raise Invalid("Invalid input.", {"status": ["A new asset cannot be deployed: create it, then check it out."]})
    data = _prepare(data, None, person=lock)
    interfaces = data.pop("interfaces", None) or []
    generated = not data.get("asset_tag")
    if generated:
        data["asset_tag"] = f"tmp-{uuid.uuid4().hex}"
    if lock:
        data["locked_fields"] = sorted(k for k in LOCKABLE if data.get(k) is not None)
    asset = Asset(**data)
    asset.interfaces = [NetworkInterface(**i) for i in interfaces]
    db.session.add(asset)
    db.session.flush()
    if generated:
        asset.asset_tag = _next_tag(asset)
        db.session.flush()
    record(ctx, "asset", asset.id, "create", None, asset_snapshot(asset))
    return asset


def update_asset(asset: Asset, data: dict, ctx: Context, lock: bool = True) -> Asset:
    if "status" in data and data["status"] != asset.status:
        if data["status"] == "deployed" or asset.status == "deployed":
            raise Conflict("Use checkout and checkin to deploy an asset or take it back.",
                           {"status": ["Set by checkout/checkin."]})
    data = _prepare(data, asset, person=lock)
    before = asset_snapshot(asset)
    interfaces = data.pop("interfaces", None)
    for key, value in data.items():
        setattr(asset, key, value)
    if interfaces is not None:
        asset.interfaces = []
        db.session.flush()  # free the MACs before the new rows claim them
        asset.interfaces = [NetworkInterface(**i) for i in interfaces]
    if lock:
        asset.locked_fields = sorted(set(asset.locked_fields or []) | {k for k in LOCKABLE if k in data})
    db.session.flush()
    changed_before, changed_after = diff(before, asset_snapshot(asset))
    if changed_after:
        record(ctx, "asset", asset.id, "update", changed_before, changed_after)
    return asset


def delete_asset(asset: Asset, ctx: Context) -> None:
    """Delete an asset typed in by mistake; one with any history is refused (409): retire or dispose instead."""
    found = history_of(asset)
    if found:
        raise Conflict(f"Asset {asset.asset_tag} has history ({', '.join(found)}): retire or dispose of it instead.")
    records.delete(asset, ctx, "asset", {}, before=asset_snapshot(asset))
