"""nmap XML output (-oX) -> observations, one per live host; pure, no I/O."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import xml.etree.ElementTree as ET
from typing import Any

from scanners.batches import Observation

# nmap's OS class "type" to the contract's kind hint; anything else stays unset.
KIND_BY_OS_TYPE = {
    "general purpose": "computer",
    "router": "network_device",
    "switch": "network_device",
    "firewall": "network_device",
    "WAP": "network_device",
    "broadband router": "network_device",
    "load balancer": "network_device",
    "phone": "phone",
    "VoIP phone": "phone",
    "printer": "peripheral",
    "webcam": "peripheral",
    "storage-misc": "peripheral",
    "media device": "peripheral",
}


_MAC = re.compile(r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$")  # nmap writes MACs so, upper case


class NmapXmlError(ValueError):
    """The text is not nmap XML output."""


def translate(xml: str | bytes, seen_at: str | None = None) -> list[Observation]:
    """One observation per live host, sorted by address so the output is stable.

    seen_at defaults to the time nmap finished with each host (its `endtime`).
    """
    root = _parse(xml)
    if root.tag != "nmaprun":
        raise NmapXmlError(f"not nmap XML: root element is <{root.tag}>")
    observations = [translate_host(h, seen_at) for h in root.iter("host") if _is_up(h)]
    return sorted((o for o in observations if o), key=lambda o: _sort_key(o["ip_addresses"][0]))


def live_hosts(xml: str | bytes) -> int:
    """How many hosts nmap found up (for progress lines)."""
    try:
        return sum(1 for h in _parse(xml).iter("host") if _is_up(h))
    except NmapXmlError:
        return 0


def _parse(xml: str | bytes) -> ET.Element:
    try:
        return ET.fromstring(xml)
    except (ET.ParseError, LookupError, ValueError) as exc:  # bad XML, an unknown encoding, NUL in a str
        raise NmapXmlError(f"not nmap XML: {exc}") from None


def translate_host(host: ET.Element, seen_at: str | None = None) -> Observation:
    ips: list[str] = []
    obs: Observation = {}
    for addr in host.findall("address"):
        kind, value = addr.get("addrtype"), addr.get("addr") or ""
        if kind in ("ipv4", "ipv6") and _is_ip(value):
            ips.append(value)
        elif kind == "mac" and _MAC.match(value):
            obs["macs"] = [value.lower()]
            if addr.get("vendor"):
                obs["vendor"] = addr.get("vendor")
    if not ips:
        return {}
    obs = {"ip_addresses": ips, **obs}
    hostname = _hostname(host)
    if hostname:
        obs["hostname"] = hostname
    ports = _open_ports(host)
    if ports:
        obs["open_ports"] = ports
    _add_os(obs, host)
    when = seen_at or _epoch(host.get("endtime") or host.get("starttime"))
    if when:
        obs["seen_at"] = when
    return obs


def _is_up(host: ET.Element) -> bool:
    status = host.find("status")
    return status is not None and status.get("state") == "up"


def _hostname(host: ET.Element) -> str | None:
    names = [h for h in host.iterfind("hostnames/hostname") if h.get("name")]
    # A PTR answer is what reverse DNS said; "user" names only echo what we typed.
    for wanted in ("PTR", None):
        for entry in names:
            if wanted is None or entry.get("type") == wanted:
                return (entry.get("name") or "").rstrip(".").lower()[:255] or None
    return None


def _open_ports(host: ET.Element) -> list[dict[str, Any]]:
    ports: list[dict[str, Any]] = []
    for port in host.iterfind("ports/port"):
        state = port.find("state")
        protocol = port.get("protocol")
        if state is None or state.get("state") != "open" or protocol not in ("tcp", "udp", "sctp"):
            continue
        entry: dict[str, Any] = {"port": _int(port.get("portid")), "protocol": protocol}
        service = port.find("service")
        if service is not None:
            if service.get("name") and service.get("name") != "unknown":
                entry["service"] = service.get("name")
            for key in ("product", "version"):
                if service.get(key):
                    entry[key] = service.get(key)
        if 1 <= entry["port"] <= 65535:
            ports.append(entry)
    return sorted(ports, key=lambda p: (p["protocol"], p["port"]))


def _add_os(obs: Observation, host: ET.Element) -> None:
    matches = host.findall("os/osmatch")
    if not matches:
        return
    best = max(matches, key=lambda m: _int(m.get("accuracy")))  # max keeps nmap's order on ties
    if best.get("name"):
        obs["os_name"] = best.get("name", "")[:200]
    obs["os_accuracy"] = max(0, min(100, _int(best.get("accuracy"))))
    osclass = best.find("osclass")
    if osclass is not None:
        kind = KIND_BY_OS_TYPE.get(osclass.get("type") or "")
        if kind:
            obs["kind"] = kind


def _int(value: str | None) -> int:
    """nmap's decimal attributes; 0 for anything else (a garbled file, digits of other scripts)."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else 0


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _epoch(value: str | None) -> str | None:
    seconds = _int(value)
    if not seconds:
        return None
    try:
        stamp = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):  # past year 9999
        return None
    return stamp.isoformat().replace("+00:00", "Z")


def _sort_key(address: str) -> tuple[int, int | str]:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return (9, address)
    return (ip.version, int(ip))
