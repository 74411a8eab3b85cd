"""What a matched observation changes: observed fields, new interfaces, sightings, leaver alerts. In bulk."""

from datetime import date, datetime

from sqlalchemy import bindparam, select, update

from ..extensions import db
from ..models import Alert, Asset, Assignment, Employee, NetworkInterface, Sighting
from ..normalize import normalize_hostname, normalize_serial, normalize_uuid
from . import bulk
from .changelog import jsonable, record_many
from .context import Context
from .reconcile import Known

# Identifiers discovery may fill in when the register has none (never replaced: that is a person's call).
FILL_ONLY = ("serial_number", "device_uuid", "agent_id", "imei", "phone_number")
OVERWRITE = ("hostname", "os_name", "os_version")
SEEN = ("first_seen_at", "last_seen_at", "last_seen_source", "missing_since")
TRACKED = (*FILL_ONLY, *OVERWRITE, "observed", "observed_diff")
STATE = ("id", "locked_fields", *SEEN, *TRACKED)
SIGHTING_KEY = ("asset_id", "ip", "mac", "switch", "port", "vlan", "source")
# Kept per source under asset.observed: what the register has no column for.
# Users and software have their own tables (services/usage.py, services/software.py).
OBSERVED_KEYS = ("kind", "manufacturer", "model", "vendor", "os_accuracy", "open_ports", "hardware",
                 "uptime", "switch", "switch_port", "vlan", "ip_addresses", "macs", "interfaces")


def _values(obs: dict) -> dict:
    return {
        "serial_number": normalize_serial(obs.get("serial_number")), "device_uuid": normalize_uuid(obs.get("device_uuid")),
        "agent_id": obs.get("agent_id"), "imei": obs.get("imei"), "phone_number": obs.get("phone_number"),
        "hostname": normalize_hostname(obs.get("hostname")), "os_name": obs.get("os_name"),
        "os_version": obs.get("os_version"),
    }


def _claimed(known: Known) -> dict[str, set]:
    return {"serial_number": set(known.serial), "device_uuid": set(known.uuid), "agent_id": set(known.agent_id),
            "imei": set(known.imei), "phone_number": set()}


def apply(matched: list[tuple[int, dict, int]], known: Known, batch: dict, ctx: Context) -> set[int]:
    """Update matched assets; return the indexes of observations that changed the register."""
    if not matched:
        return set()
    state: dict[int, dict] = {}
    cols = [getattr(Asset, c) for c in STATE]
    for part in bulk.chunks(sorted({a for _, _, a in matched})):
        for row in db.session.execute(select(*cols).where(Asset.id.in_(part))).mappings():
            state[row["id"]] = {**row, "observed": dict(row["observed"] or {}),
                                "observed_diff": dict(row["observed_diff"] or {})}
    before = {a: {k: st[k] for k in (*FILL_ONLY, *OVERWRITE)} | {"observed_diff": dict(st["observed_diff"]),
                                                                  "observed": dict(st["observed"])}
              for a, st in state.items()}
    claimed, macs_taken = _claimed(known), set(known.mac)
    new_interfaces, interface_ips, sightings, changed = [], {}, {}, set()
    source = batch["source"]
    for index, obs, asset_id in matched:
        st, seen = state[asset_id], obs["seen_at"]
        locked = set(st["locked_fields"] or [])
        for field, value in _values(obs).items():
            if value is None or value == st[field]:
                continue
            if field == "hostname" and (st[field] or "").startswith(value + "."):
                continue  # a short name seen does not drop the domain the register knows (lt-x of lt-x.corp)
            if field in locked:
                diff = {"value": value, "source": source, "seen_at": seen.isoformat()}
                if st["observed_diff"].get(field, {}).get("value") != value:
                    st["observed_diff"][field] = diff
                    changed.add(index)
            elif field in OVERWRITE or (st[field] is None and value not in claimed[field]):
                st[field] = value
                claimed.get(field, set()).add(value)
                changed.add(index)
        seen_here = {k: obs[k] for k in OBSERVED_KEYS if obs.get(k) not in (None, [], {})}
        if "software" in obs:
            seen_here["software_count"] = len(obs["software"])
        if st["observed"].get(source) != seen_here:
            if {k: v for k, v in (st["observed"].get(source) or {}).items() if k != "ip_addresses"} != {
                    k: v for k, v in seen_here.items() if k != "ip_addresses"}:
                changed.add(index)
            st["observed"][source] = seen_here
        for iface in _interfaces(obs):
            if iface["mac"] in macs_taken or iface["mac"] is None:
                if iface["mac"] and known.mac.get(iface["mac"]) == asset_id and iface["ip_addresses"]:
                    interface_ips[iface["mac"]] = iface["ip_addresses"]
                continue
            if iface["identity"]:
                macs_taken.add(iface["mac"])
                new_interfaces.append({"asset_id": asset_id, "mac": iface["mac"], "name": iface["name"],
                                       "ip_addresses": iface["ip_addresses"]})
                changed.add(index)
        for row in _sightings(obs, asset_id, source, batch["scanner"]):
            key = tuple(row[k] for k in SIGHTING_KEY)
            old = sightings.get(key)
            sightings[key] = row if old is None else {**old, "first_seen": min(old["first_seen"], seen),
                                                       "last_seen": max(old["last_seen"], seen)}
        st["first_seen_at"] = min(st["first_seen_at"] or seen, seen)
        if st["last_seen_at"] is None or seen >= st["last_seen_at"]:
            st["last_seen_at"], st["last_seen_source"] = seen, source
        st["missing_since"] = None
    _write(state, before, new_interfaces, interface_ips, sightings, ctx)
    return changed


def _interfaces(obs: dict) -> list[dict]:
    from ..normalize import is_identity_mac

    by_mac = {i["mac"]: i for i in obs.get("interfaces", []) if i.get("mac")}
    out = []
    for mac in obs.get("macs", []):
        iface = by_mac.get(mac, {})
        ips = iface.get("ip_addresses") or (obs.get("ip_addresses", []) if len(obs.get("macs", [])) == 1 else [])
        out.append({"mac": mac, "name": iface.get("name"), "ip_addresses": ips, "identity": is_identity_mac(mac)})
    return out


def _sightings(obs: dict, asset_id: int, source: str, scanner: str) -> list[dict]:
    where = {"switch": obs.get("switch") or "", "port": obs.get("switch_port") or "",
             "vlan": str(obs.get("vlan") or "")}
    pairs = [(ip, i["mac"]) for i in obs.get("interfaces", []) if i.get("mac") for ip in i["ip_addresses"] or [""]]
    macs, ips = obs.get("macs", []), obs.get("ip_addresses", [])
    if not pairs:
        if len(macs) <= 1:
            pairs = [(ip, macs[0] if macs else "") for ip in ips or [""]]
        else:
            pairs = [(ip, "") for ip in ips] + [("", m) for m in macs]
    pairs = [p for p in pairs if p != ("", "")] or ([("", "")] if where["switch"] else [])
    seen = obs["seen_at"]
    return [{"asset_id": asset_id, "ip": ip, "mac": mac, **where, "source": source, "scanner": scanner,
             "first_seen": seen, "last_seen": seen} for ip, mac in pairs]


def _update_assets(columns: tuple[str, ...], rows: list[dict]) -> None:
    bulk.update_many(Asset.__table__, list(columns), rows)


def _write(state, before, new_interfaces, interface_ips, sightings, ctx: Context) -> None:
    # Every matched asset gets its seen times; only those whose content changed get the wide update.
    ordered = [st for _, st in sorted(state.items())]
    _update_assets(SEEN, ordered)
    _update_assets(TRACKED, [st for st in ordered if any(st[c] != before[st["id"]][c] for c in TRACKED)])
    if new_interfaces:
        db.session.execute(NetworkInterface.__table__.insert(), new_interfaces)
    if interface_ips:
        iface = NetworkInterface.__table__
        db.session.execute(update(iface).where(iface.c.mac == bindparam("b_mac")).values(ip_addresses=bindparam("b_ips")),
                           [{"b_mac": m, "b_ips": ips} for m, ips in sorted(interface_ips.items())],
                           execution_options={"synchronize_session": False})
    _upsert_sightings(sorted(sightings.values(), key=lambda r: tuple(r[k] for k in SIGHTING_KEY)))
    added: dict[int, list] = {}
    for row in new_interfaces:
        added.setdefault(row["asset_id"], []).append(row["mac"])
    changes = []
    for asset_id, st in sorted(state.items()):
        old = before[asset_id]
        fields = [c for c in (*FILL_ONLY, *OVERWRITE, "observed_diff") if st[c] != old[c]]
        if fields or asset_id in added:
            after = {c: jsonable(st[c]) for c in fields}
            prior = {c: jsonable(old[c]) for c in fields}
            if asset_id in added:
                after["interfaces_added"] = added[asset_id]
            changes.append({"object_type": "asset", "object_id": asset_id, "action": "observe", "before": prior,
                            "after": after})
    record_many(ctx, changes)


def _upsert_sightings(rows: list[dict]) -> None:
    if not rows:
        return
    bulk.upsert_many(Sighting.__table__, rows, list(SIGHTING_KEY),
                     {"first_seen": "least", "last_seen": "greatest", "scanner": "new"})


def raise_leaver_alerts(asset_ids: set[int], now: datetime) -> None:
    """A device still held by someone whose last day has passed was seen: one open alert per pair."""
    if not asset_ids:
        return
    today = date.today()
    rows = []
    for part in bulk.chunks(sorted(asset_ids)):
        for asset_id, employee_id, name, end in db.session.execute(
            select(Assignment.asset_id, Employee.id, Employee.name, Employee.end_date)
            .join(Employee, Employee.id == Assignment.employee_id)
            .where(Assignment.asset_id.in_(part), Assignment.checked_in_at.is_(None),
                   ((Employee.end_date.is_not(None)) & (Employee.end_date < today)) | (Employee.status == "left"))
        ):
            rows.append({"kind": "leaver_device_seen", "asset_id": asset_id, "employee_id": employee_id,
                         "message": f"Device of {name}, who left on {end or 'an earlier day'}, was seen on the network.",
                         "details": {"last_day": end.isoformat() if end else None}, "first_seen": now,
                         "last_seen": now})
    if rows:
        table = Alert.__table__
        ins = bulk.insert(table)
        db.session.execute(ins.on_conflict_do_update(
            index_elements=["kind", "asset_id", "employee_id"], index_where=table.c.closed_at.is_(None),
            set_={"last_seen": ins.excluded.last_seen}), rows)
