"""Raw output of Linux commands (DMI, ip -j, os-release, who) -> one computer observation; pure, no I/O."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from typing import Any

from scanners.batches import Observation
from scanners.ssh_collector.parsing import normalize_mac
from scanners.ssh_collector.records import DeviceOutput, DeviceResult

# Firmware placeholders that identify nothing.
_JUNK = re.compile(
    r"^(|none|n/a|na|default string|to be filled by o\.?e\.?m\.?|system serial number|"
    r"not specified|not applicable|0+|0123456789|123456789|x+|\s+)$",
    re.I,
)
_LOGIN = re.compile(r"[\w.\\@$-]+")
_NOT_USERS = {"reboot", "shutdown", "runlevel", "wtmp", "btmp"}
_LAST_TIME = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}")
_VIRTUAL = re.compile(
    r"^(lo|ifb\d*|dummy\d*|nlmon\d*|docker\d*|veth.*|br-.*|virbr.*|cni.*|flannel.*|vxlan.*|tun.*|tap.*|wg.*)$"
)


def translate_linux(out: DeviceOutput, seen_at: str | None = None) -> DeviceResult:
    result = DeviceResult(out.name)
    dmi = parse_dmi(out.text("dmi"))
    osr = parse_os_release(out.text("os_release"))
    interfaces = parse_ip_json(out.text("addr"), out.text("link"), result)
    obs: Observation = {
        "kind": "computer",
        "hostname": _first_line(out.text("hostname")) or out.prompt or out.name,
        "serial_number": dmi.get("product_serial") or dmi.get("chassis_serial"),
        "manufacturer": dmi.get("sys_vendor"),
        "model": dmi.get("product_name"),
        "device_uuid": dmi.get("product_uuid", "").lower() or None,
        "os_name": osr.get("NAME"),
        "os_version": osr.get("VERSION_ID") or osr.get("VERSION"),
        "macs": sorted({i["mac"] for i in interfaces if i.get("mac")}),
        "ip_addresses": sorted({ip for i in interfaces for ip in i.get("ip_addresses", [])}),
        "interfaces": interfaces,
        "users": parse_users(out.text("who"), out.text("last"), seen_at),
        "uptime": parse_uptime(out.text("uptime")),
        "seen_at": seen_at,
    }
    result.device = {k: v for k, v in obs.items() if v not in (None, "", [], {})}
    return result


def parse_dmi(text: str) -> dict[str, str]:
    """key=value lines from the DMI loop; empty and placeholder values dropped."""
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        value = value.strip()
        if sep and re.fullmatch(r"[a-z_]+", key.strip()) and not _JUNK.match(value):
            values[key.strip()] = value
    return values


def parse_os_release(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and re.fullmatch(r"[A-Z_]+", key.strip()):
            try:
                parts = shlex.split(value)
            except ValueError:
                parts = [value.strip("\"'")]
            values[key.strip()] = " ".join(parts)
    return values


def _json_array(text: str) -> list[dict[str, Any]]:
    """The JSON array in a command's output, ignoring anything a shell printed around it."""
    start, end = text.find("["), text.rfind("]")
    if start < 0 or end < start:
        return []
    data = json.loads(text[start : end + 1])
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def parse_ip_json(addr_text: str, link_text: str, result: DeviceResult) -> list[Observation]:
    """Physical-looking interfaces with their MAC and global addresses, from `ip -j addr` (and `ip -j link`)."""
    try:
        addrs = _json_array(addr_text)
        links = {d.get("ifname"): d for d in _json_array(link_text)}
    except ValueError as exc:
        result.warnings["addr"] = f"ip -j output is not JSON: {exc}"
        return []
    by_name = {d.get("ifname"): d for d in addrs}
    for name, link in links.items():
        by_name.setdefault(name, link)
    interfaces = []
    for name, data in by_name.items():
        if not name or data.get("link_type") not in (None, "ether") or _VIRTUAL.match(name):
            continue
        entry: Observation = {"name": name}
        mac = normalize_mac(data.get("address") or links.get(name, {}).get("address"))
        if mac:
            entry["mac"] = mac
        ips = [a["local"] for a in data.get("addr_info", []) if a.get("local") and a.get("scope") == "global"]
        if ips:
            entry["ip_addresses"] = ips
        if mac or ips:
            interfaces.append(entry)
    return interfaces


def parse_who(text: str, seen_at: str | None) -> list[dict[str, str]]:
    """Logged-in users, once each (a user with three terminals is one user)."""
    logins: list[str] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and _LOGIN.fullmatch(fields[0]) and fields[0] not in logins:
            logins.append(fields[0])
    return [{"login": login, "kind": "current", **({"seen_at": seen_at} if seen_at else {})} for login in logins]


def parse_last(text: str, seen_at: str | None) -> list[dict[str, str]]:
    """Past sessions from `last -w -F` (newest first), once per login: when the session ended, or now if it has not."""
    users: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3 or not _LOGIN.fullmatch(fields[0]) or fields[0] in _NOT_USERS or fields[0] in users:
            continue
        times = _LAST_TIME.findall(line)
        if not times:
            continue
        if "still logged in" in line and seen_at:
            when = seen_at
        else:
            when = _utc(times[1] if len(times) > 1 else times[0])
        users[fields[0]] = {"login": fields[0], "kind": "last", **({"seen_at": when} if when else {})}
    return list(users.values())


def parse_users(who_text: str, last_text: str, seen_at: str | None) -> list[dict[str, str]]:
    """Current users from `who`, then the last sessions of everyone else from `last`."""
    current = parse_who(who_text, seen_at)
    logged_in = {u["login"] for u in current}
    return current + [u for u in parse_last(last_text, seen_at) if u["login"] not in logged_in]


def _utc(text: str) -> str | None:
    """A `last -F` time, printed in UTC because the command runs with TZ=UTC0."""
    try:
        when = dt.datetime.strptime(" ".join(text.split()), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


def parse_uptime(text: str) -> str | None:
    match = re.match(r"\s*(\d+)(?:\.\d+)?\s", text + " ")
    if not match:
        return None
    seconds = int(match.group(1))
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    parts.append(f"{hours} hour{'s' * (hours != 1)}")
    parts.append(f"{minutes} minute{'s' * (minutes != 1)}")
    return ", ".join(parts)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else ""
