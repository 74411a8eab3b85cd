"""Ingest of observation batches: idempotent, matched in bulk, applied in one transaction."""

import gc
import ipaddress
import json
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Asset, IngestBatch, Manufacturer, NetworkInterface, Sighting, TriageItem
from ..models.base import utcnow
from . import observe, software, triage, usage
from .bulk import chunks
from .context import Context
from .reconcile import RULES, Decision, Facts, Identity, Known, decide, identity_of


def rules() -> tuple[str, ...]:
    """The identifier rules in the configured order (INVENTORY_MATCH_RULES, comma separated)."""
    configured = current_app.config.get("MATCH_RULES")
    if not configured:
        return RULES
    names = tuple(r.strip() for r in str(configured).split(",") if r.strip())
    unknown = set(names) - set(RULES)
    if unknown:
        raise ValueError(f"Unknown match rules: {', '.join(sorted(unknown))}; known: {', '.join(RULES)}")
    return names


@contextmanager
def gc_paused():
    """Cyclic garbage collection paused while a batch is validated and applied. A 10k batch makes hundreds of
    thousands of short-lived dicts, which set off full collections walking every object in the process (about a
    fifth of the batch's time); reference counting frees them as usual, and collection resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def replay(scanner, scan_id, number) -> str | None:
    """The answer given to this batch before, as sent then, or None if it is new (or the key is malformed)."""
    if not (isinstance(scanner, str) and isinstance(scan_id, str) and isinstance(number, int)) or not (
            0 <= number < 2**31):
        return None
    return db.session.execute(select(IngestBatch.result_json).where(
        IngestBatch.scanner == scanner.strip(), IngestBatch.scan_id == scan_id.strip(),
        IngestBatch.batch == number)).scalar()


def ingest(batch: dict, ctx: Context) -> tuple[str, bool]:
    """Apply a validated batch; return (the answer as JSON, whether it is a replay of an earlier push).

    A batch received before changes nothing and gets its first answer again.
    """
    previous = replay(batch["scanner"], batch["scan_id"], batch["batch"])
    if previous is not None:
        return previous, True
    record = IngestBatch(source=batch["source"], scanner=batch["scanner"], scan_id=batch["scan_id"],
                         batch=batch["batch"], complete=batch["complete"], scope=batch["scope"],
                         started_at=batch["started_at"], finished_at=batch["finished_at"],
                         observation_count=len(batch["observations"]), result_json="", actor=ctx.actor)
    try:
        with db.session.begin_nested():
            db.session.add(record)
            db.session.flush()
    except IntegrityError:  # the same batch is being applied by another request right now
        db.session.rollback()
        previous = replay(batch["scanner"], batch["scan_id"], batch["batch"])
        if previous is None:
            raise
        return previous, True

    observations = batch["observations"]
    identities = [identity_of(o) for o in observations]
    known = lookup(identities)
    order = rules()
    decisions = [decide(i, known, order) for i in identities]
    if _creates(batch, identities, decisions) and _serialise_creators():
        known = lookup(identities)  # what a batch that held the lock before us created is there now
        decisions = [decide(i, known, order) for i in identities]
    created = _create_trusted(batch, observations, identities, decisions, known, ctx)
    now = utcnow()
    result = {"matched": 0, "created": 0, "updated": 0, "conflicts": 0, "unchanged": 0, "ignored": 0,
              "assets_created": len(created), "decisions": []}

    to_triage = [(i, o, identities[i], d) for i, (o, d) in enumerate(zip(observations, decisions, strict=True))
                 if d.outcome != "match"]
    triage_ids = triage.upsert_from_observations(to_triage, batch, now)
    matched = [(i, o, d.asset_id) for i, (o, d) in enumerate(zip(observations, decisions, strict=True))
               if d.outcome == "match"]
    changed = observe.apply(matched, known, batch, ctx)
    reports = [(asset_id, obs) for _, obs, asset_id in matched]
    software.sync(reports, batch["source"])
    usage.evaluate(usage.record_users(reports, batch["source"]), ctx)

    for i, d in enumerate(decisions):
        entry = {"index": i, "rule": d.rule, "asset_id": d.asset_id, "triage_id": None}
        if i in created:
            entry["decision"] = "asset_created"
        elif d.outcome == "match":
            result["matched"] += 1
            entry["decision"] = "updated" if i in changed else "unchanged"
            result["updated" if i in changed else "unchanged"] += 1
        else:
            ident = identities[i]
            triage_id, status = triage_ids[ident.key() if d.outcome == "unmatched" else ident.conflict_key()]
            entry["triage_id"] = triage_id
            if status == "ignored":
                entry["decision"] = "ignored"
                result["ignored"] += 1
            elif d.outcome == "conflict":
                entry["decision"] = "conflict"
                result["conflicts"] += 1
            else:
                entry["decision"] = "triage"
                result["created"] += 1
        result["decisions"].append(entry)

    observe.raise_leaver_alerts({a for _, _, a in matched}, now)
    if batch["complete"]:
        mark_unseen_in_scope(batch, now)
    mark_stale(now)
    record.result_json = json.dumps(result, separators=(",", ":"))
    return record.result_json, False


def _trusted(batch) -> bool:
    return batch["source"] in {s.strip() for s in str(current_app.config.get("CREATE_FROM", "")).split(",")
                               if s.strip()}


def _creates(batch, identities, decisions) -> bool:
    return _trusted(batch) and any(d.outcome == "unmatched" and (i.serial or i.uuid or i.agent_id)
                                   for i, d in zip(identities, decisions, strict=True))


def _serialise_creators() -> bool:
    """Batches that create assets take turns on PostgreSQL (a transaction-scoped advisory lock), so two agents
    reporting the same new device at once make one asset and two 200s, not a unique violation. SQLite writers
    already take turns at BEGIN. True when the lock was taken and the batch must look again."""
    if db.session.get_bind().dialect.name != "postgresql":
        return False
    db.session.execute(select(func.pg_advisory_xact_lock(CREATE_LOCK)))
    return True


CREATE_LOCK = 0x1A55E7  # any constant the application uses for nothing else


def _create_trusted(batch, observations, identities, decisions, known: Known, ctx: Context) -> set[int]:
    """Sources trusted to create assets (INVENTORY_CREATE_FROM, default the inventory agents) do so for an
    unmatched observation with a hardware identity (serial, UUID, agent id) instead of filling triage."""
    if not _trusted(batch):
        return set()
    created = set()
    for i, (obs, ident, d) in enumerate(zip(observations, identities, decisions, strict=True)):
        if d.outcome != "unmatched" or not (ident.serial or ident.uuid or ident.agent_id):
            continue
        asset = triage.asset_from_observation(obs, triage.identifiers(ident), ctx)
        known.mac.update({m: asset.id for m in ident.macs})
        known.facts[asset.id] = Facts(ident.serial, ident.maker, ident.uuid, ident.imei)
        decisions[i] = Decision("match", asset.id, "created", ((asset.id, "created"),))
        created.add(i)
    return created


def lookup(identities: list[Identity]) -> Known:
    """One query per identifier kind for the whole batch."""
    known = Known()
    serials = sorted({i.serial for i in identities if i.serial})
    for part in chunks(serials):
        for asset_id, serial, maker in db.session.execute(
            select(Asset.id, Asset.serial_number, Manufacturer.name_key)
            .outerjoin(Manufacturer, Manufacturer.id == Asset.manufacturer_id).where(Asset.serial_number.in_(part))
        ):
            known.serial.setdefault(serial, []).append((asset_id, maker))
    for name, column in (("uuid", Asset.device_uuid), ("agent_id", Asset.agent_id), ("imei", Asset.imei)):
        values = sorted({getattr(i, name) for i in identities if getattr(i, name)})
        target = getattr(known, name)
        for part in chunks(values):
            target.update({v: a for a, v in db.session.execute(select(Asset.id, column).where(column.in_(part)))})
    macs = sorted({m for i in identities for m in i.macs})
    for part in chunks(macs):
        known.mac.update({m: a for m, a in db.session.execute(
            select(NetworkInterface.mac, NetworkInterface.asset_id).where(NetworkInterface.mac.in_(part)))})
    hosts = sorted({i.hostname for i in identities if i.hostname})
    for part in chunks(hosts):
        for asset_id, host in db.session.execute(select(Asset.id, Asset.hostname).where(Asset.hostname.in_(part))):
            known.hostname.setdefault(host, []).append(asset_id)
    keys = sorted({i.key() for i in identities} | {i.conflict_key() for i in identities})
    for part in chunks(keys):
        known.linked.update(dict(db.session.execute(select(TriageItem.identity_key, TriageItem.asset_id).where(
            TriageItem.identity_key.in_(part), TriageItem.asset_id.is_not(None))).all()))
    ids = sorted({a for lst in known.serial.values() for a, _ in lst} | set(known.uuid.values())
                 | set(known.agent_id.values()) | set(known.imei.values()) | set(known.mac.values())
                 | {a for lst in known.hostname.values() for a in lst})
    for part in chunks(ids):
        for row in db.session.execute(select(Asset.id, Asset.serial_number, Manufacturer.name_key, Asset.device_uuid,
                                             Asset.imei).outerjoin(Manufacturer, Manufacturer.id == Asset.manufacturer_id)
                                      .where(Asset.id.in_(part))):
            known.facts[row[0]] = Facts(row[1], row[2], row[3], row[4])
    return known


def mark_unseen_in_scope(batch: dict, now: datetime) -> int:
    """After a complete scan: assets last seen inside its scope but not during this scan become missing."""
    networks = []
    for text in batch["scope"]:
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            continue  # a scope may also name devices, which have no addresses to compare
    if not networks:
        return 0
    started = db.session.execute(select(func.min(IngestBatch.started_at)).where(
        IngestBatch.scanner == batch["scanner"], IngestBatch.scan_id == batch["scan_id"])).scalar()
    started = started or batch["started_at"] or now
    last_in_scope: dict[int, datetime] = {}
    for asset_id, ip, seen in db.session.execute(
        select(Sighting.asset_id, Sighting.ip, func.max(Sighting.last_seen)).where(Sighting.ip != "")
        .group_by(Sighting.asset_id, Sighting.ip)
    ):
        addr = ipaddress.ip_address(ip)
        if any(addr in net for net in networks):
            seen = seen if seen.tzinfo else seen.replace(tzinfo=now.tzinfo)
            last_in_scope[asset_id] = max(seen, last_in_scope.get(asset_id, seen))
    unseen = sorted(a for a, seen in last_in_scope.items() if seen < started)
    for part in chunks(unseen):
        db.session.execute(update(Asset).where(Asset.id.in_(part), Asset.missing_since.is_(None))
                           .values(missing_since=now), execution_options={"synchronize_session": False})
    return len(unseen)


def mark_stale(now: datetime) -> int:
    """Assets no scanner has seen for MISSING_AFTER_DAYS are flagged missing (never deleted)."""
    days = int(current_app.config.get("MISSING_AFTER_DAYS", 30))
    return db.session.execute(
        update(Asset).where(Asset.last_seen_at < now - timedelta(days=days), Asset.missing_since.is_(None))
        .values(missing_since=now), execution_options={"synchronize_session": False}).rowcount
