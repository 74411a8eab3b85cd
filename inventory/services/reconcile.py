"""Reconciliation rules: which asset an observation belongs to, decided from bulk lookups. Pure functions.

Identifier rules run strongest first (the order is a setting). Each asset a rule finds is a candidate,
unless the asset contradicts the observation on a strong identifier (another serial, UUID or IMEI).
One candidate: a match, recorded with the strongest rule that found it. Several: a conflict for a
person. None: the observation goes to triage. IP addresses never link.

Host names match within a DNS domain (see host_candidates): different domains never match.
"""

from dataclasses import dataclass, field

from ..normalize import (
    is_identity_mac,
    manufacturer_key,
    normalize_hostname,
    normalize_serial,
    normalize_uuid,
    split_hostname,
)

RULES = ("serial", "uuid", "agent_id", "imei", "mac", "hostname")


@dataclass(frozen=True)
class Identity:
    serial: str | None = None
    maker: str | None = None
    uuid: str | None = None
    agent_id: str | None = None
    imei: str | None = None
    macs: tuple[str, ...] = ()  # identity MACs only: no random, virtual or multicast ones
    hostname: str | None = None
    other_macs: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()

    def key(self) -> str:
        """The best identifier, naming one triage item for every sighting of the same thing."""
        if self.serial:
            return f"serial:{self.maker or ''}:{self.serial}"
        for name in ("uuid", "agent_id", "imei"):
            if getattr(self, name):
                return f"{name}:{getattr(self, name)}"
        if self.macs:
            return f"mac:{min(self.macs)}"
        if self.hostname:
            return f"host:{self.hostname}"
        if self.other_macs:
            return f"anymac:{min(self.other_macs)}"
        return f"ip:{min(self.ips)}" if self.ips else "none"

    def conflict_key(self) -> str:
        return "conflict:" + self.key()


@dataclass(frozen=True)
class Facts:
    """What the register holds of an asset, to spot contradictions."""

    serial: str | None
    maker: str | None
    uuid: str | None
    imei: str | None


@dataclass
class Known:
    """Bulk lookups for one batch: identifier value -> asset ids."""

    serial: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)
    uuid: dict[str, int] = field(default_factory=dict)
    agent_id: dict[str, int] = field(default_factory=dict)
    imei: dict[str, int] = field(default_factory=dict)
    mac: dict[str, int] = field(default_factory=dict)
    hostname: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)  # short name -> (asset, domain)
    linked: dict[str, int] = field(default_factory=dict)  # triage identity key -> asset a person chose
    facts: dict[int, Facts] = field(default_factory=dict)

    def merge(self, fresher: "Known") -> None:
        """Take in a later lookup: its answers replace this one's for the identifiers it covers."""
        for name in ("serial", "uuid", "agent_id", "imei", "mac", "hostname", "linked", "facts"):
            getattr(self, name).update(getattr(fresher, name))

    def learn(self, asset_id: int, ident: Identity) -> None:
        """An asset just made from ident: later observations in the batch find it."""
        if ident.serial:
            self.serial.setdefault(ident.serial, []).append((asset_id, ident.maker))
        for name in ("uuid", "agent_id", "imei"):
            if getattr(ident, name):
                getattr(self, name)[getattr(ident, name)] = asset_id
        self.mac.update({m: asset_id for m in ident.macs if m not in self.mac})
        self.facts[asset_id] = Facts(ident.serial, ident.maker, ident.uuid, ident.imei)


@dataclass(frozen=True)
class Decision:
    outcome: str  # match | conflict | unmatched
    asset_id: int | None = None
    rule: str | None = None
    candidates: tuple[tuple[int, str], ...] = ()


def identity_of(obs: dict) -> Identity:
    macs = tuple(obs.get("macs") or ())
    return Identity(
        serial=normalize_serial(obs.get("serial_number")),
        maker=manufacturer_key(obs.get("manufacturer")),
        uuid=normalize_uuid(obs.get("device_uuid")),
        agent_id=(obs.get("agent_id") or "").strip() or None,
        imei=obs.get("imei"),
        macs=tuple(m for m in macs if is_identity_mac(m)),
        other_macs=tuple(m for m in macs if not is_identity_mac(m)),
        hostname=normalize_hostname(obs.get("hostname")),
        ips=tuple(obs.get("ip_addresses") or ()),
    )


def _found(rule: str, ident: Identity, known: Known) -> list[int]:
    if rule == "serial" and ident.serial:
        return [a for a, maker in known.serial.get(ident.serial, [])
                if ident.maker is None or maker is None or maker == ident.maker]
    if rule == "mac":
        return sorted({known.mac[m] for m in ident.macs if m in known.mac})
    if rule == "hostname" and ident.hostname:
        return host_candidates(ident.hostname, known.hostname)
    value = getattr(ident, rule, None) if rule in ("uuid", "agent_id", "imei") else None
    found = getattr(known, rule).get(value) if value else None
    return [found] if found is not None else []


def host_candidates(hostname: str, by_short: dict[str, list[tuple[int, str | None]]]) -> list[int]:
    """Assets a host name points at, within its domain.

    An FQDN (lt-x.corp.example) finds the assets with that FQDN; failing those, the assets recorded by the bare
    short name (lt-x). A short name finds every asset of that short name, whatever its domain. Different domains
    never match. More than one asset found is a conflict for a person (decide), never a merge.
    """
    parts = split_hostname(hostname)
    if parts is None:
        return []
    short, domain = parts
    same = by_short.get(short, [])
    if domain is None:
        return sorted({a for a, _ in same})
    return sorted({a for a, d in same if d == domain}) or sorted({a for a, d in same if d is None})


def _contradicts(facts: Facts | None, ident: Identity) -> bool:
    if facts is None:
        return False
    return any(mine and theirs and mine != theirs for mine, theirs in (
        (ident.serial, facts.serial), (ident.uuid, facts.uuid), (ident.imei, facts.imei)))


def decide(ident: Identity, known: Known, rules=RULES) -> Decision:
    """Match, conflict or unmatched, with the rule that decided."""
    candidates: list[tuple[int, str]] = []
    for rule in rules:
        for asset_id in _found(rule, ident, known):
            if rule != "serial" and _contradicts(known.facts.get(asset_id), ident):
                continue
            if asset_id not in {a for a, _ in candidates}:
                candidates.append((asset_id, rule))
    if not candidates:
        linked = known.linked.get(ident.key())
        if linked is not None:
            return Decision("match", linked, "triage_link", ((linked, "triage_link"),))
        return Decision("unmatched")
    if len(candidates) == 1:
        return Decision("match", candidates[0][0], candidates[0][1], tuple(candidates))
    chosen = known.linked.get(ident.conflict_key())  # a person resolved this very conflict before
    if chosen in {a for a, _ in candidates}:
        return Decision("match", chosen, "triage_link", tuple(candidates))
    return Decision("conflict", None, candidates[0][1], tuple(candidates))
