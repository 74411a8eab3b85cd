"""Raw CLI output of a network device -> the device observation and its endpoint MACs; pure, no I/O."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from scanners.batches import Observation
from scanners.ssh_collector.commands import commands_for
from scanners.ssh_collector.parsing import (
    Row,
    as_vlan,
    cdp_lldp_is_infrastructure,
    display_port,
    first,
    interfaces_fallback,
    junos_lldp_detail,
    junos_mac_table_fallback,
    normalize_mac,
    port_key,
    textfsm,
    version_fallback,
)
from scanners.ssh_collector.records import DeviceOutput, DeviceResult

MANUFACTURER = {"cisco_ios": "Cisco", "cisco_nxos": "Cisco", "arista_eos": "Arista", "juniper_junos": "Juniper"}
OS_NAME = {"cisco_ios": "Cisco IOS", "cisco_nxos": "Cisco NX-OS", "arista_eos": "Arista EOS", "juniper_junos": "Junos"}
_NO_SERIAL = re.compile(r"^(n/?a|none|unknown|not available|builtin|-+|0+)$", re.I)
# MAC table "ports" that are the switch itself, not a cable.
_NOT_A_PORT = re.compile(r"^(cpu|router|switch|drop|self|sup-eth.*|vpc.*|vlan\d*|irb.*|.*\(r\))$", re.I)


def translate(out: DeviceOutput, seen_at: str | None = None, mac_threshold: int = 5) -> DeviceResult:
    """Translate any device; Linux hosts have their own rules."""
    if out.platform == "linux":
        from scanners.ssh_collector.linux import translate_linux

        return translate_linux(out, seen_at)
    return translate_network(out, seen_at, mac_threshold)


def parsed(out: DeviceOutput, key: str, result: DeviceResult) -> list[Row] | None:
    """Rows for one fact, or None (with a warning) when the template is missing or raises."""
    text = out.text(key)
    if not text.strip():
        return None
    commands = (out.command(key), *commands_for(out.platform).get(key, ()))
    rows, error = textfsm(out.platform, commands, text)
    if error:
        result.warnings[key] = f"parse failed for {out.command(key)!r}: {error}"
    return rows


def translate_network(out: DeviceOutput, seen_at: str | None = None, mac_threshold: int = 5) -> DeviceResult:
    result = DeviceResult(out.name)
    interfaces = _interfaces(out, result)
    own_macs = {i["mac"] for i in interfaces if i.get("mac")}
    device = _identity(out, result)
    device["macs"] = sorted(own_macs)
    if interfaces:
        device["interfaces"] = interfaces
    ips = sorted({ip for i in interfaces for ip in i.get("ip_addresses", [])})
    if ips:
        device["ip_addresses"] = ips
    if seen_at:
        device["seen_at"] = seen_at
    result.device = {k: v for k, v in device.items() if v not in (None, "", [], {})}
    result.arp = _arp(out, result)
    entries = _mac_table(out, result, own_macs)
    result.uplinks = _uplinks(out, result, entries, mac_threshold)
    result.endpoints = _endpoints(entries, result.uplinks, device.get("hostname") or out.name, result.arp, seen_at)
    return result


def _identity(out: DeviceOutput, result: DeviceResult) -> Observation:
    version_rows = parsed(out, "version", result) or []
    version = version_rows[0] if version_rows else {}
    fallback = version_fallback(out.text("version")) if not version else {}
    chassis, modules = _inventory(out, result)
    text = out.text("version")
    os_name = OS_NAME.get(out.platform)
    if out.platform == "cisco_ios" and re.search(r"IOS[ -]XE", text):
        os_name = "Cisco IOS XE"
    return {
        "kind": "network_device",
        "hostname": first(version, "hostname") or fallback.get("hostname") or out.prompt or out.name,
        "manufacturer": MANUFACTURER.get(out.platform),
        "serial_number": chassis.get("serial") or first(version, "serial", "serial_number") or fallback.get("serial"),
        "model": chassis.get("model") or first(version, "hardware", "platform", "model") or fallback.get("model"),
        "os_name": os_name,
        "os_version": _os_version(version, fallback),
        "uptime": first(version, "uptime") or fallback.get("uptime"),
        "hardware": {"modules": modules} if modules else None,
    }


def _os_version(version: Row, fallback: Row) -> str | None:
    """The version alone: Arista's image is "4.26.0F-21792469.4260F (engineering build)", NX-OS 10 says
    "10.3(4a) [Maintenance Release]"."""
    text = first(version, "version", "os", "junos_version", "image") or fallback.get("version") or ""
    return text.split()[0] if text.strip() else None


def _inventory(out: DeviceOutput, result: DeviceResult) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The chassis (serial and model on the label) and the other serialised parts."""
    rows = parsed(out, "inventory", result) or []
    chassis, modules = _junos_inventory(rows) if out.platform == "juniper_junos" else _show_inventory(rows)
    # Parts with a serial of their own, once each: not a fixed switch's "Slot 1" or "FPC 0" again (the chassis
    # serial), not BUILTIN or N/A, not the FPC that Junos' template repeats on every transceiver row.
    parts, seen = [], set()
    for module in modules:
        key = (module.get("name"), module.get("serial", ""))
        if key[1] and not _NO_SERIAL.match(key[1]) and key[1] != chassis.get("serial") and key not in seen:
            seen.add(key)
            parts.append(module)
    return chassis, parts


def _show_inventory(rows: list[Row]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """IOS, NX-OS and EOS `show inventory`: NAME/DESCR/PID/SN per part, the chassis among them."""
    parts = []
    for row in rows:
        parts.append(
            {
                "name": first(row, "name", "port") or first(row, "descr"),
                "model": first(row, "pid"),
                "serial": first(row, "sn"),
                "description": first(row, "descr"),
            }
        )
    if not parts:
        return {}, []
    chassis_index = next(
        (i for i, p in enumerate(parts) if re.search(r"chassis", p["name"] + p["description"], re.I)), 0
    )
    chassis = parts.pop(chassis_index)
    modules = [{"name": p["name"], "model": p["model"], "serial": p["serial"]} for p in parts]
    return chassis, [{k: v for k, v in m.items() if v} for m in modules]


def _junos_inventory(rows: list[Row]) -> tuple[dict[str, str], list[dict[str, str]]]:
    chassis: dict[str, str] = {}
    modules = []
    for row in rows:
        if first(row, "chassis_serial_number") and not chassis:
            chassis = {"serial": first(row, "chassis_serial_number"), "model": first(row, "chassis_description")}
        for key, value in row.items():
            if not key.endswith("_serial_number") or key == "chassis_serial_number" or not value:
                continue
            part = key[: -len("_serial_number")]
            name = f"{part.upper()} {first(row, part + '_number')}".strip()
            module = {"name": name, "model": first(row, part + "_part", part + "_description"), "serial": str(value)}
            modules.append({k: v for k, v in module.items() if v})
    return chassis, modules


def _interfaces(out: DeviceOutput, result: DeviceResult) -> list[Observation]:
    rows = parsed(out, "interfaces", result)
    if not rows or not any(first(r, "mac_address") for r in rows):
        rows = interfaces_fallback(out.text("interfaces"))
    interfaces = []
    for row in rows:
        entry: Observation = {"name": first(row, "interface")}
        mac = normalize_mac(first(row, "mac_address", "bia"))
        if mac:
            entry["mac"] = mac
        ip = first(row, "ip_address").split("/")[0]
        if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", ip):
            entry["ip_addresses"] = [ip]
        if entry["name"] and (mac or ip):
            interfaces.append(entry)
    return interfaces


def _arp(out: DeviceOutput, result: DeviceResult) -> dict[str, list[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for row in parsed(out, "arp", result) or []:
        mac, ip = normalize_mac(first(row, "mac_address")), first(row, "ip_address", "address")
        if mac and re.fullmatch(r"[0-9a-fA-F:.]+", ip):
            table[mac].add(ip)
    return {mac: sorted(ips) for mac, ips in table.items()}


def _mac_table(out: DeviceOutput, result: DeviceResult, own_macs: set[str]) -> list[tuple[str, str, int | None]]:
    """(mac, port as the device writes it, vlan) for every learned address on a real port."""
    rows = parsed(out, "mac_table", result)
    if rows is None and out.platform == "juniper_junos":
        rows = junos_mac_table_fallback(out.text("mac_table"))
    # Junos names VLANs in its MAC table; `show vlans` gives each name's tag.
    tags = {first(r, "vlan_name"): first(r, "tag") for r in parsed(out, "vlans", result) or []}
    entries = []
    for row in rows or []:
        mac = normalize_mac(first(row, "destination_address", "mac_address"))
        port = first(row, "destination_port", "ports", "logical_interface")
        if not mac or not port or mac in own_macs or _NOT_A_PORT.match(port):
            continue
        vlan = first(row, "vlan_id", "vlan")
        entries.append((mac, display_port(port), as_vlan(tags.get(vlan, vlan))))
    return entries


def _uplinks(
    out: DeviceOutput, result: DeviceResult, entries: Iterable[tuple[str, str, int | None]], threshold: int
) -> dict[str, str]:
    """Ports that lead to other switches, by port key, with the reason (for logs and tests)."""
    uplinks: dict[str, str] = {}
    for key, protocol in (("cdp", "cdp"), ("lldp", "lldp")):
        for row in _neighbours(out, key, result):
            local = port_key(first(row, "local_interface"))
            if local and cdp_lldp_is_infrastructure(first(row, "capabilities"), protocol):
                uplinks.setdefault(local, f"{protocol.upper()} neighbour {first(row, 'neighbor_name', 'chassis_id')}")
    for row in parsed(out, "switchport", result) or []:
        if "trunk" in (first(row, "mode") + first(row, "admin_mode")).lower():
            uplinks.setdefault(port_key(first(row, "interface")), "trunk port")
    per_port: dict[str, set[str]] = defaultdict(set)
    for mac, port, _vlan in entries:
        per_port[port_key(port)].add(mac)
    for key, macs in per_port.items():
        if len(macs) > threshold:
            uplinks.setdefault(key, f"{len(macs)} MACs (more than {threshold})")
    return uplinks


def _neighbours(out: DeviceOutput, key: str, result: DeviceResult) -> list[Row]:
    """CDP or LLDP neighbour rows. Junos' `show lldp neighbors detail` has no template (the index would pick the
    summary's by prefix, which fails on it), so its own parser reads it; the summary has no capabilities."""
    if key == "lldp" and out.platform == "juniper_junos" and "detail" in out.command(key):
        return junos_lldp_detail(out.text(key))
    return parsed(out, key, result) or []


def _endpoints(
    entries: list[tuple[str, str, int | None]],
    uplinks: dict[str, str],
    switch: str,
    arp: dict[str, list[str]],
    seen_at: str | None,
) -> list[Observation]:
    seen: dict[str, Observation] = {}
    for mac, port, vlan in entries:
        if port_key(port) in uplinks or mac in seen:
            continue
        obs: Observation = {"macs": [mac], "switch": switch, "switch_port": port}
        if vlan is not None:
            obs["vlan"] = vlan
        if arp.get(mac):
            obs["ip_addresses"] = list(arp[mac])
        if seen_at:
            obs["seen_at"] = seen_at
        seen[mac] = obs
    return list(seen.values())


def merge_arp(results: Iterable[DeviceResult]) -> None:
    """A router's ARP table names the IPs of MACs an access switch saw: share them across the run."""
    results = list(results)
    table: dict[str, set[str]] = defaultdict(set)
    for result in results:
        for mac, ips in result.arp.items():
            table[mac].update(ips)
    for result in results:
        for obs in result.endpoints:
            ips = set(obs.get("ip_addresses", [])) | table.get(obs["macs"][0], set())
            if ips:
                obs["ip_addresses"] = sorted(ips)
