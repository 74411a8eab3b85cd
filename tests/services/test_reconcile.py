"""Match-rule tables: each rule, each normalisation, junk values, randomised MACs, conflicts. Pure."""

import pytest

from inventory.services.reconcile import Facts, Known, decide, identity_of

KNOWN = Known(
    serial={"SN1": [(1, "dell")], "DUP": [(2, "dell"), (3, "hp")]},
    uuid={"4c4c4544-0042-3510-8052-b4c04f4a4e31": 4},
    agent_id={"lt-4-2026-01-01": 4},
    imei={"356938035643809": 5},
    mac={"00:14:22:01:23:45": 6, "00:14:22:aa:aa:aa": 1},
    hostname={"lt-ada": [7], "shared": [7, 8]},
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
    d = decide(conflicted, Known(hostname={"shared": [7, 8]}, linked={conflicted.conflict_key(): 8}))
    assert (d.outcome, d.asset_id) == ("match", 8)


def test_identity_keys_prefer_the_strongest_identifier():
    assert identity_of({"serial_number": "x1y2", "manufacturer": "Dell Inc.", "macs": ["00:14:22:01:23:45"]}
                       ).key() == "serial:dell:X1Y2"
    assert identity_of({"macs": ["00:14:22:01:23:45"], "hostname": "h"}).key() == "mac:00:14:22:01:23:45"
    assert identity_of({"hostname": "H.corp."}).key() == "host:h.corp"
