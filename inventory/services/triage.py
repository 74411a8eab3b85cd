"""Triage: what discovery could not place, and a person's promote, link or ignore."""

from datetime import datetime

from sqlalchemy import select

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import Asset, NetworkInterface, TriageItem
from ..models.base import utcnow
from ..normalize import is_identity_mac
from . import assets, bulk, catalogue, records
from .changelog import jsonable, record
from .context import Context
from .pagination import after_key, decode_keyed_cursor, encode_keyed_cursor
from .reconcile import Decision, Identity


def upsert_from_observations(items: list[tuple[int, dict, Identity, Decision]], batch: dict, now: datetime) -> dict:
    """One triage item per identity (or conflict), created or refreshed in bulk: key -> (id, status)."""
    rows: dict[str, dict] = {}
    for _, obs, ident, decision in items:
        key = ident.key() if decision.outcome == "unmatched" else ident.conflict_key()
        seen = obs["seen_at"]
        sighting = {k: v for k, v in (("ip", ",".join(obs.get("ip_addresses", []))), ("macs", obs.get("macs")),
                                      ("switch", obs.get("switch")), ("port", obs.get("switch_port")),
                                      ("vlan", obs.get("vlan"))) if v}
        old = rows.get(key)
        rows[key] = {
            "kind": "unmatched" if decision.outcome == "unmatched" else "conflict", "status": "open",
            "identity_key": key, "identifiers": identifiers(ident), "observation": jsonable(obs),
            "candidates": [{"asset_id": a, "rule": r} for a, r in decision.candidates],
            "sightings": (old["sightings"] if old else []) + [{**sighting, "seen_at": seen.isoformat(),
                                                              "source": batch["source"]}],
            "source": batch["source"], "scanner": batch["scanner"],
            "first_seen": min(old["first_seen"], seen) if old else seen,
            "last_seen": max(old["last_seen"], seen) if old else seen,
            "seen_count": (old["seen_count"] if old else 0) + 1,
        }
    if not rows:
        return {}
    bulk.upsert_many(TriageItem.__table__, [rows[k] for k in sorted(rows)], ["identity_key"], {
        "last_seen": "greatest", "seen_count": "add", "observation": "new", "identifiers": "new",
        "candidates": "new", "sightings": "new", "source": "new", "scanner": "new"})
    found = {}
    for part in bulk.chunks(sorted(rows)):
        found.update({k: (i, s) for k, i, s in db.session.execute(
            select(TriageItem.identity_key, TriageItem.id, TriageItem.status).where(TriageItem.identity_key.in_(part)))})
    return found


def identifiers(ident: Identity) -> dict:
    return {k: v for k, v in (("serial_number", ident.serial), ("manufacturer", ident.maker),
                              ("device_uuid", ident.uuid), ("agent_id", ident.agent_id), ("imei", ident.imei),
                              ("macs", list(ident.macs + ident.other_macs)), ("hostname", ident.hostname),
                              ("ip_addresses", list(ident.ips))) if v}


def list_items(args: dict) -> tuple[list[TriageItem], str | None]:
    """A page of triage items, most recently seen first (an old item seen again comes back to the top)."""
    stmt = select(TriageItem).where(TriageItem.status == args.get("status", "open"))
    if args.get("kind"):
        stmt = stmt.where(TriageItem.kind == args["kind"])
    if args.get("source"):
        stmt = stmt.where(TriageItem.source == args["source"])
    if args.get("cursor"):
        seen, last_id = decode_keyed_cursor(args["cursor"], "t1", _aware)
        stmt = stmt.where(after_key(TriageItem.last_seen, TriageItem.id, seen, last_id, descending=True))
    limit = args["limit"]
    items = list(db.session.execute(stmt.order_by(TriageItem.last_seen.desc(), TriageItem.id.desc())
                                    .limit(limit + 1)).scalars())
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_keyed_cursor("t1", items[-1].last_seen, items[-1].id)


def _aware(value) -> datetime:
    seen = datetime.fromisoformat(value)
    if seen.tzinfo is None:
        raise ValueError(value)
    return seen


def _open(item: TriageItem) -> None:
    if item.status != "open":
        raise Conflict(f"Triage item {item.id} is already {item.status}.")


def _resolve(item: TriageItem, status: str, ctx: Context, asset_id: int | None = None, reason: str | None = None):
    item.status, item.asset_id, item.reason = status, asset_id, reason
    item.resolved_by, item.resolved_at = ctx.actor, utcnow()
    record(ctx, "triage_item", item.id, status, {"status": "open"},
           {"status": status, "asset_id": asset_id, "reason": reason, "identity_key": item.identity_key})


def _move_sightings(item: TriageItem, asset_id: int) -> None:
    rows = {}
    for s in item.sightings:
        seen = datetime.fromisoformat(s["seen_at"])
        for ip in (s.get("ip") or "").split(",") or [""]:
            for mac in s.get("macs") or [""]:
                key = (ip, mac, s.get("switch") or "", s.get("port") or "", str(s.get("vlan") or ""), s["source"])
                old = rows.get(key)
                rows[key] = {"asset_id": asset_id, "ip": key[0], "mac": key[1], "switch": key[2], "port": key[3],
                             "vlan": key[4], "source": key[5], "scanner": item.scanner,
                             "first_seen": min(old["first_seen"], seen) if old else seen,
                             "last_seen": max(old["last_seen"], seen) if old else seen}
    from .observe import _upsert_sightings

    _upsert_sightings(sorted(rows.values(), key=lambda r: (r["ip"], r["mac"], r["switch"], r["port"], r["source"])))


def promote(item: TriageItem, data: dict, ctx: Context) -> Asset:
    """Create an asset from an unmatched item; the person's choices (kind, model, ...) are locked."""
    _open(item)
    if item.kind != "unmatched":
        raise Conflict("A conflict is resolved by linking it to one of its candidate assets, or ignoring it.")
    asset = asset_from_observation(item.observation, item.identifiers, ctx, data)
    asset.first_seen_at, asset.last_seen_at, asset.last_seen_source = item.first_seen, item.last_seen, item.source
    db.session.flush()
    _move_sightings(item, asset.id)
    _resolve(item, "promoted", ctx, asset.id)
    return asset


def asset_from_observation(obs: dict, ids: dict, ctx: Context, chosen: dict | None = None) -> Asset:
    """A new asset carrying what was observed; only what a person chose (kind, model, ...) is locked."""
    taken = set(db.session.execute(select(NetworkInterface.mac).where(
        NetworkInterface.mac.in_(ids.get("macs", [])))).scalars())
    kind = (chosen or {}).get("kind") or obs.get("kind") or "computer"
    found = {"serial_number": ids.get("serial_number"), "hostname": ids.get("hostname"), "imei": ids.get("imei"),
             "interfaces": [i for i in _observed_interfaces(obs) if i["mac"] not in taken]}
    if obs.get("manufacturer") and obs.get("model"):
        found["model_id"] = catalogue.model_by_name(obs["manufacturer"][:100], obs["model"][:200], kind, ctx).id
    asset = assets.create_asset({**{k: v for k, v in found.items() if v}, "kind": kind}, ctx, lock=False)
    chosen = {k: v for k, v in (chosen or {}).items() if v is not None}
    if chosen:
        asset = assets.update_asset(asset, chosen, ctx)
    asset.device_uuid, asset.agent_id = ids.get("device_uuid"), ids.get("agent_id")
    asset.os_name, asset.os_version = obs.get("os_name"), obs.get("os_version")
    db.session.flush()
    return asset


def _observed_interfaces(obs: dict) -> list[dict]:
    by_mac = {i["mac"]: i for i in obs.get("interfaces", []) if i.get("mac")}
    macs = [m for m in obs.get("macs", []) if is_identity_mac(m)]
    return [{"mac": m, "name": by_mac.get(m, {}).get("name"),
             "ip_addresses": by_mac.get(m, {}).get("ip_addresses") or (obs.get("ip_addresses", []) if len(macs) == 1
                                                                       else [])} for m in macs]


def link(item: TriageItem, asset_id: int, ctx: Context) -> Asset:
    """Attach an item to an existing asset and teach the matcher its identifiers."""
    _open(item)
    asset = records.get_or_404(Asset, asset_id, "Asset")
    if item.kind == "conflict" and asset_id not in {c["asset_id"] for c in item.candidates}:
        raise Invalid("Not a candidate.", {"asset_id": ["Choose one of the conflict's candidate assets."]})
    ids = item.identifiers
    if item.kind == "unmatched":
        taken = set(db.session.execute(select(NetworkInterface.mac).where(
            NetworkInterface.mac.in_(ids.get("macs", [])))).scalars())
        new = [i for i in _observed_interfaces(item.observation) if i["mac"] not in taken]
        updates = {k: ids[k] for k in ("serial_number", "hostname", "imei") if ids.get(k) and not getattr(asset, k)
                   and k not in (asset.locked_fields or [])}
        if new:
            updates["interfaces"] = [{"mac": i.mac, "name": i.name, "ip_addresses": i.ip_addresses}
                                     for i in asset.interfaces] + new
        if updates:
            assets.update_asset(asset, updates, ctx, lock=False)
        for field in ("device_uuid", "agent_id"):
            if ids.get(field) and not getattr(asset, field) and not db.session.execute(
                    select(Asset.id).where(getattr(Asset, field) == ids[field])).first():
                setattr(asset, field, ids[field])
    asset.last_seen_at = max(asset.last_seen_at or item.last_seen, item.last_seen)
    asset.missing_since = None
    db.session.flush()
    _move_sightings(item, asset.id)
    _resolve(item, "linked", ctx, asset.id)
    return asset


def ignore(item: TriageItem, reason: str, ctx: Context) -> None:
    """Ignore an item; observations with the same identity stay ignored."""
    _open(item)
    _resolve(item, "ignored", ctx, reason=reason)
