"""Turn an inventory agent's content (OCS sections, keys lower-cased) into one observation; shared by XML and JSON."""

import ipaddress
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..normalize import normalize_mac

# Sections hold either one row (BIOS, HARDWARE, ...) or many (NETWORKS, SOFTWARES, ...); both parsers hand
# them over as a dict of lower-case section name -> list of rows, each row a dict of lower-case field -> value.
Content = Mapping[str, list[Mapping[str, Any]]]

# `last` on an empty wtmp prints "wtmp begins ...": FusionInventory then reports the user "wtmp".
_NOT_USERS = {"wtmp", "btmp", "reboot", "(unknown)", "unknown"}


def _normalize_mac(value: Any) -> str | None:
    """Lower-case colon form of a MAC, or None; agents write zeros for "no MAC" (lo, tun)."""
    mac = normalize_mac(value)
    return None if mac == "00:00:00:00:00:00" else mac


def text(value: Any) -> str | None:
    """A stripped, non-empty string from a scalar field value, else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    result = str(value).strip()
    return result or None


def number(value: Any) -> int | None:
    """A non-negative integer from "24105", 24105 or "274877.906944", else None."""
    raw = text(value)
    if raw is None:
        return None
    try:
        result = int(float(raw))
    except (ValueError, OverflowError):
        return None
    return result if result >= 0 else None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return (text(value) or "").lower() in {"1", "true", "yes"}


def _ip(value: Any) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return None
    # Loopback and link-local addresses say nothing about where a device is on the network.
    if address.is_loopback or address.is_link_local or address.is_unspecified:
        return None
    return str(address)


def first(content: Content, section: str) -> Mapping[str, Any]:
    rows = content.get(section) or []
    return rows[0] if rows else {}


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _interfaces(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One interface per (name, MAC): agents send one NETWORKS row per address."""
    merged: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for row in rows:
        if _flag(row.get("virtualdev")) or (text(row.get("type")) or "").lower() == "loopback":
            continue
        name = text(row.get("description"))
        mac = _normalize_mac(row.get("mac", row.get("macaddr")))
        ips = [_ip(row.get("ipaddress")), _ip(row.get("ipaddress6"))]
        if name is None and mac is None:
            continue
        entry = merged.setdefault((name, mac), {"name": name, "mac": mac, "ip_addresses": []})
        entry["ip_addresses"] = _unique([*entry["ip_addresses"], *ips])
    return [{k: v for k, v in entry.items() if v is not None} for entry in merged.values()]


def _hardware(content: Content) -> dict[str, Any]:
    hardware = first(content, "hardware")
    cpus = content.get("cpus") or []
    cpu = next((text(c.get("name")) or text(c.get("type")) for c in cpus if c.get("name") or c.get("type")), None)
    cores = [number(c.get("core", c.get("cores"))) for c in cpus]  # FusionInventory CORE, OCS CORES
    disks = []
    for row in content.get("storages") or []:
        disk = {
            "name": text(row.get("name")),
            "model": text(row.get("model")),
            "serial": text(row.get("serialnumber", row.get("serial"))),
            "size_mb": number(row.get("disksize")),
        }
        disk = {k: v for k, v in disk.items() if v is not None}
        if disk:
            disks.append(disk)
    result = {
        "cpu": cpu or text(hardware.get("processort")),
        "cpu_cores": sum(c for c in cores if c) or None,
        "memory_mb": number(hardware.get("memory")),
        "disks": disks or None,
    }
    return {k: v for k, v in result.items() if v is not None}


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                         "dec"), 1)}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def login_time(value: Any, now: datetime) -> datetime | None:
    """When HARDWARE/DATELASTLOGGEDUSER says the last user logged in, or None.

    Agents on Unix copy it from `last`: "Mon Nov 24 17:42" (no year: the latest year not after `now` whose weekday
    matches; `last -F` adds seconds and the year); others write an ISO date. It is the machine's local time, taken
    as UTC: it says on which day, which is all it is used for.
    """
    raw = text(value)
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        return parsed if parsed <= now + timedelta(days=1) else None
    except ValueError:
        pass
    parts = raw.split()
    weekday = _WEEKDAYS.index(parts[0][:3].lower()) if parts and parts[0][:3].lower() in _WEEKDAYS else None
    parts = parts[1:] if weekday is not None else parts
    clock = parts[2].split(":") if len(parts) >= 3 else []
    month = _MONTHS.get(parts[0][:3].lower()) if parts else None
    if month is None or not parts[1].isdigit() or not 2 <= len(clock) <= 3 or not all(c.isdigit() for c in clock):
        return None
    years = [int(parts[3])] if len(parts) > 3 and parts[3].isdigit() else range(now.year, now.year - 12, -1)
    fallback = None
    for year in years:
        try:
            when = datetime(year, month, int(parts[1]), *map(int, clock), tzinfo=UTC)
        except ValueError:
            continue
        if when > now + timedelta(days=1):
            continue  # a clock ahead of ours by hours is fine; a date in the future is not this year's
        if weekday is None or when.weekday() == weekday:
            return when
        fallback = fallback or when
    return fallback


def _users(content: Content, now: datetime) -> list[dict[str, str]]:
    users: list[dict[str, str]] = []

    def add(login: str | None, kind: str, domain: str | None = None, seen_at: datetime | None = None) -> None:
        if not login or login.lower() in _NOT_USERS:
            return
        full = f"{domain}\\{login}" if domain and "\\" not in login and "@" not in login else login
        if not any(u["login"] == full and u["kind"] == kind for u in users):
            users.append({"login": full, "kind": kind, **({"seen_at": seen_at.isoformat()} if seen_at else {})})

    for row in content.get("users") or []:
        add(text(row.get("login")), "current", text(row.get("domain")))
    hardware = first(content, "hardware")
    if not users:  # HARDWARE/USERID lists the logged-in users ("a/b") when there are no USERS rows
        for login in (text(hardware.get("userid")) or "").split("/"):
            add(login.strip() or None, "current")
    # The last login's own time, so that daily inventories of a machine someone used once add no days of use.
    add(text(hardware.get("lastloggeduser")), "last", seen_at=login_time(hardware.get("datelastloggeduser"), now))
    return users


def _software(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    result = []
    for row in rows:
        item = {
            "name": text(row.get("name")),
            "version": text(row.get("version")),
            "publisher": text(row.get("publisher")),
        }
        if item["name"]:
            result.append({k: v for k, v in item.items() if v is not None})
    return result


def build_observation(content: Content, agent_id: str | None, kind: str = "computer",
                      now: datetime | None = None) -> dict[str, Any]:
    """The observation (contract of docs/observations.md) for one agent inventory; absent fields are left out.
    `now` (default: the present) is when it was received, against which a last login's year is found."""
    bios, hardware, system = first(content, "bios"), first(content, "hardware"), first(content, "operatingsystem")
    interfaces = _interfaces(content.get("networks") or [])
    uuid = text(hardware.get("uuid"))
    observation: dict[str, Any] = {
        "kind": kind,
        "agent_id": agent_id,
        "hostname": text(hardware.get("name")) or text(system.get("fqdn")),
        "serial_number": text(bios.get("ssn")),
        "manufacturer": text(bios.get("smanufacturer")),
        "model": text(bios.get("smodel")),
        "device_uuid": uuid.lower() if uuid else None,
        "macs": _unique(i.get("mac") for i in interfaces),
        "ip_addresses": _unique(ip for i in interfaces for ip in i["ip_addresses"]),
        "interfaces": interfaces,
        # OPERATINGSYSTEM (FusionInventory) is precise; OCS only has HARDWARE, whose OSVERSION is the kernel on Fusion.
        "os_name": text(system.get("name")) or text(hardware.get("osname")),
        "os_version": text(system.get("version")) or text(hardware.get("osversion")),
        "hardware": _hardware(content),
        "software": _software(content.get("softwares") or []),
        "users": _users(content, now or datetime.now(UTC)),
    }
    return {k: v for k, v in observation.items() if v not in (None, [], {})}
