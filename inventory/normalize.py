"""Normalisation of identifiers: MAC addresses, IMEIs, serial numbers, host names."""

import re

_HEX = re.compile(r"[0-9a-f]{12}")
_MAC_SEPARATORS = re.compile(r"[\s:.\-]")


def normalize_mac(value: str | None) -> str | None:
    """Return a MAC in lower-case colon form from any common notation, or None if it is not a MAC.

    Accepts aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff and aabbccddeeff.
    """
    if not isinstance(value, str):
        return None
    raw = value.strip().lower()
    groups = _MAC_SEPARATORS.split(raw)
    if len(groups) == 6 and all(1 <= len(g) <= 2 for g in groups):
        groups = [g.zfill(2) for g in groups]
    elif len(groups) == 3 and all(len(g) == 4 for g in groups):
        pass
    elif len(groups) != 1:
        return None
    digits = "".join(groups)
    if not _HEX.fullmatch(digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def is_identity_mac(mac: str) -> bool:
    """Whether a normalised MAC can identify a device (not zero, broadcast, multicast or locally administered)."""
    first = int(mac[:2], 16)
    if mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
        return False
    if first & 0x01:  # multicast / group address
        return False
    if first & 0x02:  # locally administered: randomised Wi-Fi MACs, containers, VPN adapters
        return False
    return not mac.startswith(_VIRTUAL_OUIS)


# Adapters that many machines share or that hypervisors hand out: never identity on their own.
_VIRTUAL_OUIS = (
    "00:00:00",  # null OUI
    "00:05:69",  # VMware
    "00:0c:29",  # VMware
    "00:1c:14",  # VMware
    "00:50:56",  # VMware
    "00:15:5d",  # Hyper-V
    "08:00:27",  # VirtualBox
    "0a:00:27",  # VirtualBox host-only
    "00:16:3e",  # Xen
    "52:54:00",  # QEMU/KVM
    "00:1c:42",  # Parallels
    "02:42:",  # Docker (also locally administered)
    "00:09:0f:fe",  # Fortinet virtual
    "00:ff:",  # TAP-Windows style
)


def imei_check_digit(first14: str) -> int:
    """Luhn check digit of the first 14 digits of an IMEI."""
    total = 0
    for i, ch in enumerate(first14):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def normalize_imei(value: str | None) -> str | None:
    """Return the 15-digit IMEI with a valid check digit, or None. Spaces, dashes and slashes are ignored."""
    if not isinstance(value, str):
        return None
    digits = re.sub(r"[\s\-/.]", "", value)
    if len(digits) != 15 or not digits.isascii() or not digits.isdigit():
        return None
    if imei_check_digit(digits[:14]) != int(digits[14]):
        return None
    return digits


_JUNK_SERIALS = {
    "",
    "to be filled by o.e.m.",
    "to be filled by oem",
    "default string",
    "system serial number",
    "chassis serial number",
    "base board serial number",
    "not specified",
    "not applicable",
    "none",
    "null",
    "n/a",
    "na",
    "unknown",
    "invalid",
    "serial",
    "0123456789",
    "123456789",
    "1234567890",
    "12345678",
    "oem",
    "o.e.m.",
    "empty",
    "xxxxxxxxxx",
    "none specified",
    "filled by o.e.m.",
    "undefined",
    "vmware-",
}


def normalize_serial(value: str | None) -> str | None:
    """Return a serial fit to identify a device (trimmed, upper-case), or None for junk and placeholders."""
    if not isinstance(value, str):
        return None
    s = " ".join(value.split())
    low = s.lower()
    if low in _JUNK_SERIALS or len(s) < 3:
        return None
    if set(low) <= {"0"} or set(low) <= {"f"} or set(low) <= {"x"} or set(low) <= {"0", "-", " "}:
        return None
    return s.upper()


def normalize_hostname(value: str | None) -> str | None:
    """Return a lower-case host name without a trailing dot, or None."""
    if not isinstance(value, str):
        return None
    h = value.strip().rstrip(".").lower()
    return h or None


_IPV4ISH = re.compile(r"[0-9.]+|.*:.*")


def split_hostname(value: str | None) -> tuple[str, str | None] | None:
    """A host name as (short name, DNS domain or None): 'LT-X.Corp.Example.' -> ('lt-x', 'corp.example').

    None for no name, and for an IP address given as a name (an address alone never identifies a device).
    """
    h = normalize_hostname(value)
    if h is None or _IPV4ISH.fullmatch(h):
        return None
    short, _, domain = h.partition(".")
    return (short, domain or None) if short else None


_MAKER_SUFFIXES = re.compile(
    r"\b(incorporated|inc|corporation|corp|co|company|ltd|limited|llc|gmbh|ag|sa|s\.a|bv|plc|technologies|technology)\b\.?"
)


def manufacturer_key(value: str | None) -> str | None:
    """A key that makes 'Dell Inc.', 'DELL' and 'Dell Inc' one manufacturer."""
    if not isinstance(value, str):
        return None
    low = re.sub(r"[^\w\s\-]", " ", value.lower())
    low = _MAKER_SUFFIXES.sub(" ", low)
    key = " ".join(low.replace("-", " ").split())
    return key or None


_JUNK_UUIDS = {
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "03000200-0400-0500-0006-000700080009",  # a placeholder many boards ship with
    "12345678-1234-5678-90ab-cddeefaabbcc",
}


def normalize_uuid(value: str | None) -> str | None:
    """A hardware UUID in lower-case 8-4-4-4-12 form, or None for junk."""
    if not isinstance(value, str):
        return None
    digits = re.sub(r"[^0-9a-fA-F]", "", value).lower()
    if len(digits) != 32:
        return None
    uid = f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
    return None if uid in _JUNK_UUIDS else uid


def normalize_login(value: str | None) -> str | None:
    """A directory login as a lookup key: lower case, without a DOMAIN\\ prefix (jdoe@corp.example kept whole)."""
    if not isinstance(value, str):
        return None
    key = value.strip().lower().rsplit("\\", 1)[-1].strip()
    return key or None
