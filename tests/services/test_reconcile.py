"""Match-rule tables: each rule, each normalisation, junk values, randomised MACs, conflicts. Pure."""

import pytest

from inventory.normalize import split_hostname
from inventory.services.reconcile import Facts, Known, decide, identity_of

KNOWN = Known(
    serial={"SN1": [(1, "dell")], "DUP": [(2, "dell"), (3, "hp")]},
    uuid={"4c4c4544-0042-3510-8052-b4c04f4a4e31": 4},
    agent_id={"lt-4-2026-01-01": 4},
    imei={"356938035643809": 5},
    mac={"00:14:22:01:23:45": 6, "00:14:22:aa:aa:aa": 1},
    hostname={"lt-ada": [(7, None)], "shared": [(7, None), (8, None)]},
    facts={1: Facts("SN1", "dell", None, None), 7: Facts("OTHER", "dell", None, None), 6: Facts(None, None, None, None)},
)


@pytest.mark.parametrize("obs, outcome, asset, rule", [
    ({"serial_number": "sn1", "manufacturer": "Dell Inc."}, "match", 1, "serial"),
    ({"serial_number": " SN1 ", "manufacturer": "DELL"}, "match", 1, "serial"),
    ({"serial_number": "SN1"}, "match", 1, "serial"),
    ({"serial_number": "SN1", "manufacturer": "Lenovo"}, "unmatched", None, None),
    ({"serial_number": "DUP", "manufacturer": "Hewlett-Packard Inc"}, "unmatched", None, None),
    ({"serial_number": "DUP", "manufacturer": "HP Inc."}, "match", 3, "serial"),
    ({"serial_number": "DUP"}, "conflict", None, "serial"),
    ({"device_uuid": "4C4C4544-0042-3510-8052-B4C04F4A4E31"}, "match", 4, "uuid"),
    ({"agent_id": "lt-4-2026-01-01"}, "match", 4, "agent_id"),
    ({"imei": "356938035643809"}, "match", 5, "imei"),
    ({"macs": ["00:14:22:01:23:45"]}, "match", 6, "mac"),
    ({"hostname": "LT-ADA."}, "unmatched", None, None),  # asset 7 has serial OTHER... but obs has none: see below
    ({"hostname": "shared"}, "conflict", None, "hostname"),
    ({"ip_addresses": ["10.0.0.1"]}, "unmatched", None, None),  # IP alone never links
    ({"serial_number": "To Be Filled By O.E.M.", "macs": ["00:14:22:01:23:45"]}, "match", 6, "mac"),
    ({"device_uuid": "00000000-0000-0000-0000-000000000000"}, "unmatched", None, None),
    ({"serial_number": "SN1", "macs": ["00:14:22:01:23:45"]}, "conflict", None, "serial"),  # two assets, two rules
    ({"serial_number": "NEW9", "hostname": "lt-ada"}, "unmatched", None, None),  # host reused by another device
    ({"serial_number": "SN1", "macs": ["00:14:22:aa:aa:aa"]}, "match", 1, "serial"),  # both rules agree
])
def test_rules(obs, outcome, asset, rule):
    if obs.get("hostname") == "LT-ADA.":
        # Without a contradicting serial the hostname rule does link.
        d = decide(identity_of(obs), KNOWN)
        assert (d.outcome, d.asset_id, d.rule) == ("match", 7, "hostname")
        return
    d = decide(identity_of({"macs": [], **obs}), KNOWN)
    assert (d.outcome, d.asset_id, d.rule) == (outcome, asset, rule)


def test_randomised_and_virtual_macs_never_identify():
    for mac in ("da:a1:19:01:23:45", "02:42:ac:11:00:02", "00:50:56:01:23:45", "ff:ff:ff:ff:ff:ff"):
        known = Known(mac={mac: 9})
        ident = identity_of({"macs": [mac]})
        assert decide(ident, known).outcome == "unmatched"
        assert ident.key() == f"anymac:{mac}"


def test_rule_order_is_configurable():
    obs = identity_of({"serial_number": "SN1", "macs": ["00:14:22:aa:aa:aa"]})
    assert decide(obs, KNOWN, ("mac", "serial")).rule == "mac"
    assert decide(obs, KNOWN, ("serial",)).rule == "serial"


def test_a_person_s_link_teaches_the_matcher():
    ident = identity_of({"ip_addresses": ["10.0.0.7"], "hostname": "printer-3"})
    assert decide(ident, Known()).outcome == "unmatched"
    d = decide(ident, Known(linked={ident.key(): 42}))
    assert (d.outcome, d.asset_id, d.rule) == ("match", 42, "triage_link")
    conflicted = identity_of({"hostname": "shared"})
    d = decide(conflicted, Known(hostname={"shared": [(7, None), (8, None)]}, linked={conflicted.conflict_key(): 8}))
    assert (d.outcome, d.asset_id) == ("match", 8)


def test_identity_keys_prefer_the_strongest_identifier():
    assert identity_of({"serial_number": "x1y2", "manufacturer": "Dell Inc.", "macs": ["00:14:22:01:23:45"]}
                       ).key() == "serial:dell:X1Y2"
    assert identity_of({"macs": ["00:14:22:01:23:45"], "hostname": "h"}).key() == "mac:00:14:22:01:23:45"
    assert identity_of({"hostname": "H.corp."}).key() == "host:h.corp"


def known_hosts(hostnames: dict[int, str]) -> Known:
    """A register's host names as the batch lookup returns them: short name -> (asset, domain)."""
    known = Known()
    for asset_id, host in hostnames.items():
        short, domain = split_hostname(host)
        known.hostname.setdefault(short, []).append((asset_id, domain))
    return known


HOSTS = known_hosts({10: "lt-x.corp.example", 11: "printer-1.a.example", 12: "printer-1.b.example", 13: "kiosk",
                     14: "lab-1.lab.example", 15: "lab-1", 16: "dup.corp.example", 17: "dup.corp.example"})


@pytest.mark.parametrize("hostname, outcome, asset, candidates", [
    ("lt-x.corp.example", "match", 10, {10}),  # the same FQDN
    ("LT-X.Corp.Example.", "match", 10, {10}),  # case and the root dot do not matter
    ("lt-x", "match", 10, {10}),  # a short name held by exactly one asset
    ("lt-x.other.example", "unmatched", None, set()),  # another domain never matches
    ("printer-1", "conflict", None, {11, 12}),  # one short name in two domains: a person decides
    ("printer-1.a.example", "match", 11, {11}),
    ("printer-1.c.example", "unmatched", None, set()),
    ("kiosk.corp.example", "match", 13, {13}),  # an FQDN finds the asset recorded by its bare short name
    ("kiosk", "match", 13, {13}),
    ("lab-1.lab.example", "match", 14, {14}),  # the same FQDN is found before a bare short name
    ("lab-1.other.example", "match", 15, {15}),  # no asset in that domain: the bare short name
    ("lab-1", "conflict", None, {14, 15}),
    ("dup.corp.example", "conflict", None, {16, 17}),  # two assets with one FQDN: never a silent merge
    ("10.20.0.5", "unmatched", None, set()),  # an address given as a name is still only an address
])
def test_hostnames_match_within_a_domain(hostname, outcome, asset, candidates):
    d = decide(identity_of({"hostname": hostname}), HOSTS)
    assert (d.outcome, d.asset_id) == (outcome, asset)
    assert {a for a, _ in d.candidates} == candidates
    assert d.rule == ("hostname" if candidates else None)
