"""Scan scope checks: every target must sit inside an allowed network before any packet leaves."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# With no --allow at all only loopback may be scanned: it cannot disturb anyone else's network.
LOOPBACK: tuple[Network, ...] = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
# An allow entry wider than this is almost certainly a typo (0.0.0.0/0) and is refused.
MIN_PREFIX = {4: 8, 6: 48}
# Refuse scopes nmap could never finish (an IPv6 /64) instead of starting them.
MAX_ADDRESSES = 1 << 20


class ScopeError(ValueError):
    """A target list or allow-list that must not be scanned."""


@dataclass(frozen=True)
class Scope:
    """Validated targets, in the order given, each inside the allow-list."""

    targets: tuple[Network, ...]

    @property
    def total_addresses(self) -> int:
        return sum(net.num_addresses for net in self.targets)

    def as_strings(self) -> list[str]:
        return [format_network(net) for net in self.targets]


def format_network(net: Network) -> str:
    """Write a single host without its /32 or /128, like people do."""
    if net.num_addresses == 1:
        return str(net.network_address)
    return str(net)


def split_list(values: str | Iterable[str] | None) -> list[str]:
    """Accept "a,b c" strings or lists (CLI or YAML) and return the items."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    items: list[str] = []
    for value in values:
        items.extend(part for part in str(value).replace(",", " ").split() if part)
    return items


def parse_network(text: str) -> Network:
    """Parse an address or CIDR; host names are refused because resolving them sends packets."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise ScopeError(f"not an IP address or CIDR network: {text!r} (host names are not accepted)") from None


def parse_allow(values: str | Iterable[str] | None) -> tuple[Network, ...]:
    """Parse the allow-list; an empty one means loopback only."""
    items = split_list(values)
    if not items:
        return LOOPBACK
    nets = []
    for item in items:
        net = parse_network(item)
        if net.prefixlen < MIN_PREFIX[net.version]:
            raise ScopeError(f"allow entry {item} is wider than /{MIN_PREFIX[net.version]}; list the networks you own")
        nets.append(net)
    return tuple(nets)


def is_allowed(net: Network, allow: Sequence[Network]) -> bool:
    return any(net.version == a.version and net.subnet_of(a) for a in allow)  # type: ignore[arg-type]


def check_scope(targets: str | Iterable[str] | None, allow: str | Iterable[str] | None) -> Scope:
    """Return the validated scope or raise ScopeError naming every refused target."""
    allowed = parse_allow(allow)
    items = split_list(targets)
    if not items:
        raise ScopeError("no targets given")
    nets: list[Network] = []
    refused: list[str] = []
    for item in items:
        net = parse_network(item)
        if is_allowed(net, allowed):
            if net not in nets:
                nets.append(net)
        else:
            refused.append(item)
    if refused:
        allow_text = ", ".join(format_network(a) for a in allowed)
        hint = "" if split_list(allow) else " (no --allow given: only loopback may be scanned)"
        raise ScopeError(f"refusing targets outside the allow-list [{allow_text}]{hint}: {', '.join(refused)}")
    scope = Scope(tuple(nets))
    if scope.total_addresses > MAX_ADDRESSES:
        raise ScopeError(f"scope has {scope.total_addresses} addresses; the limit is {MAX_ADDRESSES}")
    return scope
