"""TextFSM (ntc-templates) parsing with per-command failure handling, fallbacks and normalisers."""

from __future__ import annotations

import re
from typing import Any

from ntc_templates.parse import ParsingException, parse_output
from textfsm import clitable, parser

Row = dict[str, Any]
PARSE_ERRORS = (ParsingException, parser.Error, clitable.Error, IndexError, ValueError)

_HEX = re.compile(r"[^0-9a-f]")
_SHORT = {
    "gigabitethernet": "Gi",
    "fastethernet": "Fa",
    "tengigabitethernet": "Te",
    "twentyfivegige": "Twe",
    "twogigabitethernet": "Tw",
    "fivegigabitethernet": "Fi",
    "fortygigabitethernet": "Fo",
    "hundredgige": "Hu",
    "hundredgigabitethernet": "Hu",
    "ethernet": "Et",
    "port-channel": "Po",
    "vlan": "Vl",
    "loopback": "Lo",
    "management": "Ma",
    "mgmt": "mgmt",
}
# Abbreviations that several long names share.
_ALIASES = {"tw": "Tw", "twe": "Twe", "f": "Fa", "t": "Te"}
_JUNOS_PORT = re.compile(r"^([a-z]{2,4}-\d+/\d+/\d+(?::\d+)?|ae\d+|em\d+|fxp\d+|irb|vlan|me\d+)(\.\d+)?$", re.I)


def textfsm(platform: str, commands: tuple[str, ...], text: str) -> tuple[list[Row] | None, str | None]:
    """Parse with the template of the command used, else of the key's first command; never raise."""
    error = None
    for command in dict.fromkeys(commands):
        try:
            return parse_output(platform=platform, command=command, data=text), None
        except PARSE_ERRORS as exc:
            # Keep the error of the command that ran, not "no template" of an alternative tried after it.
            error = error or f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return None, error


def normalize_mac(value: str | None) -> str | None:
    """Any notation to aa:bb:cc:dd:ee:ff; None for junk, broadcast, multicast and all-zero."""
    if not value:
        return None
    digits = _HEX.sub("", str(value).lower())
    if len(digits) != 12:
        return None
    if digits in ("000000000000", "ffffffffffff") or int(digits[1], 16) & 1:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def port_key(name: str | None) -> str:
    """One spelling per port so CDP's "Gig 1/0/10", "GigabitEthernet1/0/10" and "Gi1/0/10" compare equal."""
    if not name:
        return ""
    name = name.strip()
    junos = _JUNOS_PORT.match(name)
    if junos:
        return junos.group(1).lower()
    match = re.match(r"^([A-Za-z][A-Za-z-]*?)\s*(\d.*)?$", name)
    if not match:
        return name.lower()
    prefix, rest = match.group(1).lower(), (match.group(2) or "").replace(" ", "")
    shorts = {short for long, short in _SHORT.items() if long.startswith(prefix)}
    short = _ALIASES.get(prefix) or (shorts.pop() if len(shorts) == 1 else prefix)
    return f"{short}{rest}".lower()


def display_port(name: str) -> str:
    """The port as the device names it, minus a Junos logical unit (ge-0/0/1.0 is port ge-0/0/1)."""
    junos = _JUNOS_PORT.match(name.strip())
    return junos.group(1) if junos else name.strip()


def first(row: Row, *keys: str) -> str:
    """First non-empty value among keys; list values (TextFSM List) give their first item."""
    for key in keys:
        value = row.get(key)
        if isinstance(value, list):
            value = next((v for v in value if v), "")
        if value:
            return str(value).strip()
    return ""


def as_vlan(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 4095 else None


def interfaces_fallback(text: str) -> list[Row]:
    """Interface name, MAC and IP from "X is up ... address is M ... Internet address is A" blocks (IOS/NX-OS/EOS)
    and Junos "Physical interface: X ... Current address: M" and "Logical interface X.n ... Local: A"."""
    rows: list[Row] = []
    block = re.compile(
        r"^(?:(?:Physical interface:\s*)?([A-Za-z][\w/.:-]*)(?:,| is )|\s+Logical interface\s+(\S+))", re.M
    )
    starts = [m for m in block.finditer(text)]
    for i, match in enumerate(starts):
        body = text[match.end() : starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        mac = re.search(r"(?:address is|Current address:)\s*([0-9a-fA-F.:]{12,17})", body)
        ip = re.search(r"(?:Internet address is|Local:)\s+(\d+\.\d+\.\d+\.\d+)", body, re.I)
        rows.append(
            {
                "interface": match.group(1) or match.group(2),
                "mac_address": mac.group(1) if mac else "",
                "ip_address": ip.group(1) if ip else "",
            }
        )
    return rows


def junos_mac_table_fallback(text: str) -> list[Row]:
    """Rows of a Junos `show ethernet-switching table` (ELS and older) whatever the VLANs are called: the template
    only reads VLANs named "Vlan<n>", and Junos VLANs have names ("default", "employees") that `show vlans` maps."""
    row = re.compile(r"^\s*(\S+)\s+((?:[0-9a-f]{2}:){5}[0-9a-f]{2})\s+\S+\s+\S+\s+(\S+)", re.M | re.I)
    return [{"vlan": m[1], "mac_address": m[2], "logical_interface": m[3]} for m in row.finditer(text)]


def junos_lldp_detail(text: str) -> list[Row]:
    """Neighbours of a Junos `show lldp neighbors detail` (no ntc-template reads it): the local port, chassis ID,
    system name and the enabled capabilities ("Bridge Telephone" for a phone), else the supported ones."""
    rows: list[Row] = []
    starts = list(re.finditer(r"^\s*Local Interface\s*:\s*(\S+)", text, re.M))
    for i, match in enumerate(starts):
        body = text[match.end() : starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        chassis = re.search(r"^\s*Chassis ID\s*:\s*(\S+)", body, re.M | re.I)
        name = re.search(r"^\s*System name\s*:\s*(\S+)", body, re.M | re.I)
        # "System capabilities" then "Supported : ..." and "Enabled : ..." lines (the first may share its line).
        section = re.search(r"System capabilities\b(.*?)(?:\n\s*\n|\Z)", body, re.S | re.I)
        caps = section.group(1) if section else ""
        enabled = re.search(r"Enabled\s*:\s*([^\n]*)", caps, re.I)
        supported = re.search(r"Supported\s*:\s*([^\n]*)", caps, re.I)
        capabilities = (enabled.group(1).strip() if enabled else "") or (
            supported.group(1).strip() if supported else ""
        )
        rows.append(
            {
                "local_interface": match.group(1),
                "chassis_id": chassis.group(1) if chassis else "",
                "neighbor_name": name.group(1) if name else "",
                "capabilities": capabilities,
            }
        )
    return rows


def version_fallback(text: str) -> Row:
    """The few identity fields when a show version template fails (Arista, Junos outputs vary)."""
    patterns = {
        "hostname": r"^\s*Hostname:\s*(\S+)",
        "model": r"^\s*Model:\s*(\S+)|^\s*Arista\s+(\S+)\s*$|^(cEOS\w*|vEOS\w*)\s*$",
        "serial": r"^\s*Serial(?: number|Number)?:\s*(\S+)",
        "version": r"^\s*(?:Software image version|Junos):\s*(\S+)|^JUNOS .*?\[([^\]]+)\]",
        "mac": r"^\s*System MAC address:\s*(\S+)",
        "uptime": r"^\s*Uptime:\s*(.+?)\s*$",
    }
    found: Row = {}
    for key, pattern in patterns.items():
        match = re.search(pattern, text, re.M | re.I)
        if match:
            found[key] = next(g for g in match.groups() if g)
    return found


def cdp_lldp_is_infrastructure(capabilities: str, protocol: str) -> bool:
    """Does this neighbour forward other hosts' traffic (switch, router, AP) rather than being an endpoint?

    Phones embed a bridge for the PC behind them, so a telephone is an endpoint even when it says Bridge.
    A neighbour that states no capabilities is taken as infrastructure: wrongly hiding a port is safer
    than reporting a whole uplink's MACs as sitting on it.
    """
    tokens = {t for t in re.split(r"[\s,]+", (capabilities or "").lower()) if t}
    if not tokens:
        return True
    if protocol == "cdp":
        if "phone" in tokens:
            return False
        return bool(
            tokens & {"router", "switch", "trans-bridge", "source-route-bridge", "repeater", "r", "s", "t", "b"}
        )
    if tokens & {"t", "telephone"}:
        return False
    return bool(tokens & {"r", "b", "w", "c", "p", "router", "bridge", "wlan", "docsis", "repeater"})
