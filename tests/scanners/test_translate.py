"""translate() on outputs recorded from real runs (tests/scanners/fixtures, see capture_fixtures.py): pure, fast."""

import json

import pytest

from scanners.nmap_discovery.translate import NmapXmlError, translate
from scanners.ssh_collector.linux import parse_last, parse_who
from scanners.ssh_collector.records import DeviceOutput
from scanners.ssh_collector.translate import merge_arp
from scanners.ssh_collector.translate import translate as translate_ssh
from tests.scanners import nos
from tests.scanners.conftest import FIXTURES, SEGMENT_HOSTS
from tests.scanners.peers import DMI

NOW = "2026-11-25T09:00:00Z"


def _mac(text: str) -> str:
    """aa:bb:cc:dd:ee:ff from Cisco's aabb.ccdd.eeff (or an address already written so)."""
    digits = text.replace(".", "").replace(":", "")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def device(name: str) -> DeviceOutput:
    return DeviceOutput.from_dict(json.loads((FIXTURES / f"ssh_{name}.json").read_text()))


def test_nmap_xml_gives_one_observation_per_live_host_with_mac_vendor_and_ports():
    obs = translate((FIXTURES / "nmap_segment_ports.xml").read_text())
    by_ip = {o["ip_addresses"][0]: o for o in obs}
    assert list(by_ip) == ["10.213.0.1", "10.213.0.11", "10.213.0.12", "10.213.0.13"]
    assert "macs" not in by_ip["10.213.0.1"]  # the scanner itself: nmap knows no MAC for its own address
    for ip, mac, vendor, ports in SEGMENT_HOSTS:
        assert by_ip[ip]["macs"] == [mac]
        assert by_ip[ip]["vendor"] == vendor
        assert [p["port"] for p in by_ip[ip]["open_ports"]] == ports
        assert all(p["protocol"] == "tcp" for p in by_ip[ip]["open_ports"])
        assert by_ip[ip]["seen_at"].endswith("Z")
    assert by_ip["10.213.0.11"]["open_ports"][0]["service"] == "http"
    assert "os_name" not in by_ip["10.213.0.11"]


def test_nmap_xml_with_versions_and_os_guess():
    obs = {o["ip_addresses"][0]: o for o in translate((FIXTURES / "nmap_segment_sV_O.xml").read_text(), NOW)}
    host = obs["10.213.0.11"]
    assert host["open_ports"] == [
        {"port": 80, "protocol": "tcp", "service": "http", "product": "SimpleHTTPServer", "version": "0.6"}
    ]
    assert host["os_name"].startswith("Linux") and 50 <= host["os_accuracy"] <= 100
    assert host["kind"] == "computer"
    assert host["seen_at"] == NOW


def test_nmap_reverse_dns_name_becomes_the_hostname():
    """A recorded loopback sweep (nmap resolves names unless -n): its PTR answer is the observation's hostname."""
    (obs,) = translate((FIXTURES / "nmap_loopback_ptr.xml").read_text(), NOW)
    assert obs["ip_addresses"] == ["127.0.0.1"] and obs["hostname"] == "localhost"
    # The PTR answer wins over a "user" name (the target as typed), and is written as a hostname: no root dot.
    host = (
        '<nmaprun><host><status state="up"/><address addr="10.213.0.11" addrtype="ipv4"/><hostnames>'
        '<hostname name="typed-name" type="user"/><hostname name="PC11.Corp.Example." type="PTR"/>'
        "</hostnames></host></nmaprun>"
    )
    assert translate(host, NOW)[0]["hostname"] == "pc11.corp.example"
    user_only = host.replace('<hostname name="PC11.Corp.Example." type="PTR"/>', "")
    assert translate(user_only, NOW)[0]["hostname"] == "typed-name"
    no_names = host.split("<hostnames>")[0] + "</host></nmaprun>"
    assert "hostname" not in translate(no_names, NOW)[0]


def test_nmap_translate_refuses_what_is_not_nmap_xml():
    with pytest.raises(NmapXmlError):
        translate("Starting Nmap 7.93 ( https://nmap.org )")
    with pytest.raises(NmapXmlError):
        translate("<html></html>")
    assert (
        translate('<nmaprun><host><status state="down"/><address addr="10.213.0.9" addrtype="ipv4"/></host></nmaprun>')
        == []
    )


def test_cisco_ios_switch_identity_endpoints_and_uplinks():
    result = translate_ssh(device("cisco_ios_sw1"), NOW)
    dev = result.device
    assert dev["kind"] == "network_device" and dev["hostname"] == "sw1"
    assert (dev["serial_number"], dev["model"], dev["manufacturer"]) == (nos.SW1_SERIAL, nos.SW1_MODEL, "Cisco")
    assert dev["os_name"] == "Cisco IOS" and dev["os_version"] == "15.8(3)M2"
    assert dev["hardware"]["modules"] == [
        {"name": "GigabitEthernet1/0/49", "model": "GLC-SX-MMD", "serial": "AGM2011QQ01"}
    ]
    assert "00:1e:f7:aa:01:01" in dev["macs"] and "10.20.0.2" in dev["ip_addresses"]
    endpoints = {o["macs"][0]: o for o in result.endpoints}
    assert set(endpoints) == {_mac(m) for m, *_ in nos.SW1_ENDPOINTS}
    for mac, port, vlan, ip in nos.SW1_ENDPOINTS:
        obs = endpoints[_mac(mac)]
        assert (obs["switch"], obs["switch_port"], obs["vlan"]) == ("sw1", port, vlan)
        assert obs.get("ip_addresses") == ([ip] if ip else None)
        assert obs["seen_at"] == NOW
    # Uplinks: CDP router/switch neighbour, trunk, and a port with more MACs than the threshold; the phone is not one.
    assert set(result.uplinks) == {"gi1/0/48", "gi1/0/47", "gi1/0/24"}
    ports = {o["switch_port"] for o in result.endpoints}
    assert not ports & {nos.SW1_CORE_UPLINK, nos.SW1_TRUNK, nos.SW1_HUB}


def test_mac_threshold_decides_what_counts_as_a_hub():
    result = translate_ssh(device("cisco_ios_sw1"), NOW, mac_threshold=10)
    assert "gi1/0/24" not in result.uplinks
    assert sum(o["switch_port"] == nos.SW1_HUB for o in result.endpoints) == 7


def test_arista_identity_from_fallback_parser_and_lldp_uplink():
    result = translate_ssh(device("arista_eos_leaf1"), NOW)
    dev = result.device
    assert (dev["serial_number"], dev["model"], dev["os_version"]) == (nos.LEAF_SERIAL, nos.LEAF_MODEL, "4.28.3M")
    assert all(m["serial"] != "N/A" for m in dev["hardware"]["modules"])
    assert "interfaces" in result.warnings  # the real template failed on this output; the fallback parser ran
    assert [(o["macs"][0], o["switch_port"], o["vlan"], o["ip_addresses"]) for o in result.endpoints] == [
        ("00:14:22:cc:00:31", "Et3", 30, ["10.30.0.31"])
    ]
    assert result.uplinks == {"et49/1": "LLDP neighbour spine1.example.com"}


def test_cisco_nxos_switch_identity_endpoints_and_uplinks():
    result = translate_ssh(device("cisco_nxos_nx1"), NOW)
    dev = result.device
    assert dev["kind"] == "network_device" and dev["hostname"] == "nx1"
    assert (dev["serial_number"], dev["model"], dev["manufacturer"]) == (nos.NX_SERIAL, nos.NX_MODEL, "Cisco")
    # NX-OS 10 says "NXOS: version 10.3(4a) [Maintenance Release]": the version is the first word.
    assert (dev["os_name"], dev["os_version"]) == ("Cisco NX-OS", nos.NX_VERSION)
    # "Slot 1" of a fixed Nexus repeats the chassis serial, fans say N/A: neither is a part of its own.
    assert dev["hardware"]["modules"] == [
        {"name": "Power Supply 1", "model": "NXA-PAC-650W-PE", "serial": "LIT23101AB1"},
        {"name": "Ethernet1/49", "model": "QSFP-100G-SR4-S", "serial": "FNS22110XYZ"},
    ]
    assert {"00:de:fb:aa:00:00", "00:de:fb:aa:00:01"} <= set(dev["macs"])
    assert dev["ip_addresses"] == ["10.110.0.2", "192.168.0.21"]
    assert [
        (o["macs"][0], o["switch"], o["switch_port"], o["vlan"], o.get("ip_addresses")) for o in result.endpoints
    ] == [(_mac(m), "nx1", port, vlan, [ip] if ip else None) for m, port, vlan, ip in nos.NX_ENDPOINTS]
    assert all(o["seen_at"] == NOW for o in result.endpoints)
    # CDP router/switch, LLDP bridge/router, trunk; the LLDP neighbour on Eth1/6 is a station (a server): no uplink.
    assert result.uplinks == {
        "et1/49": "CDP neighbour core1.example.com",
        "et1/50": "LLDP neighbour spine2.example.com",
        "et1/48": "trunk port",
    }
    assert result.warnings == {}  # every ntc-template parsed its output


def test_junos_switch_identity_named_vlans_endpoints_and_uplinks():
    result = translate_ssh(device("juniper_junos_ex1"), NOW)
    dev = result.device
    assert dev["kind"] == "network_device" and dev["hostname"] == "ex1"
    assert (dev["serial_number"], dev["model"], dev["manufacturer"]) == (nos.EX_SERIAL, nos.EX_MODEL, "Juniper")
    assert (dev["os_name"], dev["os_version"]) == ("Junos", nos.EX_VERSION)
    # No BUILTIN "serials", no FPC 0 (the chassis serial again), each part once though the template repeats the
    # PIC on every transceiver row.
    assert dev["hardware"]["modules"] == [
        {"name": "PIC 2", "model": "711-054687", "serial": "RX3716190456"},
        {"name": "XCVR 0", "model": "740-021308", "serial": "AMB1P6W"},
        {"name": "XCVR 1", "model": "740-021308", "serial": "AMB1P7K"},
        {"name": "PS 0", "model": "740-046873", "serial": "1EDB6220123"},
    ]
    # MACs from "Current address", the IP from the irb.10 unit's "Local:".
    assert {"f4:b5:2f:aa:00:01", "f4:b5:2f:aa:00:03"} <= set(dev["macs"])
    assert {"name": "irb.10", "ip_addresses": ["10.40.10.2"]} in dev["interfaces"]
    assert dev["ip_addresses"] == ["10.40.10.2"]
    # VLANs are named in the MAC table ("employees"); the observation carries the tag from `show vlans`.
    assert [
        (o["macs"][0], o["switch"], o["switch_port"], o["vlan"], o.get("ip_addresses")) for o in result.endpoints
    ] == [(m, "ex1", port, vlan, [ip] if ip else None) for m, port, vlan, ip in nos.EX_ENDPOINTS]
    # `show lldp neighbors detail` gives capabilities: core1 (Bridge Router) makes its port an uplink, the phone
    # (Bridge Telephone) does not, so the phone (voice VLAN) and the PC behind it (data VLAN) are located.
    assert result.uplinks == {"xe-0/2/0": "LLDP neighbour core1.example.com", "ge-0/0/20": "6 MACs (more than 5)"}
    on_phone_port = [
        (o["macs"][0], o["switch_port"], o["vlan"]) for o in result.endpoints if o["switch_port"] == nos.EX_PHONE_PORT
    ]
    assert on_phone_port == [("64:16:7f:bb:00:25", nos.EX_PHONE_PORT, 20), ("00:14:22:bb:00:26", nos.EX_PHONE_PORT, 10)]
    assert not [o for o in result.endpoints if o["switch_port"] == nos.EX_LLDP_UPLINK]
    # The templates fail on these real outputs (VLAN names, EX interface lines); the fallback parsers ran, and the
    # warning names the command that ran, not the alternative tried after it.
    assert set(result.warnings) == {"interfaces", "mac_table"}
    assert result.warnings["mac_table"].startswith("parse failed for 'show ethernet-switching table': TextFSMError")


def test_junos_lldp_summary_states_no_capabilities_so_any_neighbour_is_an_uplink():
    """A Junos that only answers `show lldp neighbors` keeps the old, cautious rule."""
    out = device("juniper_junos_ex1")
    out.outputs["lldp"] = {
        "command": "show lldp neighbors",
        "output": "Local Interface    Parent Interface    Chassis Id          Port info          System Name\n"
        "xe-0/2/0           -                   f4:b5:2f:cc:00:00   xe-0/0/12          core1.example.com\n"
        "ge-0/0/12          -                   64:16:7f:bb:00:25   64:16:7f:bb:00:25  vvx450-2-15\n",
    }
    result = translate_ssh(out, NOW)
    assert result.uplinks["ge-0/0/12"] == "LLDP neighbour vvx450-2-15"
    assert result.uplinks["xe-0/2/0"] == "LLDP neighbour core1.example.com"
    assert not [o for o in result.endpoints if o["switch_port"] == nos.EX_PHONE_PORT]
    assert "lldp" not in result.warnings


def test_junos_lldp_detail_capabilities_decide_the_uplinks():
    """Enabled capabilities win over supported ones; a station or a phone is an endpoint, an AP is not; the
    "Supported" line may share the "System capabilities" line."""
    out = device("juniper_junos_ex1")
    block = (
        "LLDP Neighbor Information:\nLocal Information:\nLocal Interface    : {port}.0\nParent Interface   : -\n\n"
        "Neighbour Information:\nChassis ID         : {mac}\nSystem name        : {name}\n\n{caps}\n"
    )
    neighbours = [
        (
            "ge-0/0/3",
            "00:14:22:bb:00:21",
            "server",
            "System capabilities\n  Supported  : Bridge WLAN Access Point "
            "Router Station Only\n  Enabled    : Station Only\n",
        ),
        (
            "ge-0/0/4",
            "3c:22:fb:bb:00:22",
            "ap-2-1",
            "System capabilities Supported: Bridge, WLAN Access Point\n"
            "                    Enabled  : Bridge, WLAN Access Point\n",
        ),
        (
            "ge-0/0/9",
            "00:1b:a9:bb:00:23",
            "SEP001BA9BB0023",
            "System capabilities Supported: Bridge, Telephone\n                    Enabled  : Bridge, Telephone\n",
        ),
        ("ge-0/0/10", "b8:27:eb:bb:00:24", "mystery", ""),
    ]
    text = "".join(block.format(port=p, mac=m, name=n, caps=c) for p, m, n, c in neighbours)
    out.outputs["lldp"] = {"command": "show lldp neighbors detail", "output": text}
    result = translate_ssh(out, NOW)
    assert result.uplinks == {
        "ge-0/0/4": "LLDP neighbour ap-2-1",
        "ge-0/0/10": "LLDP neighbour mystery",  # no capabilities stated: taken as infrastructure
        "ge-0/0/20": "6 MACs (more than 5)",
    }
    assert "lldp" not in result.warnings


def test_junos_mac_table_of_an_older_non_els_switch():
    out = device("juniper_junos_ex1")
    out.outputs["mac_table"]["output"] = (
        "Ethernet-switching table: 5 entries, 3 learned, 0 persistent entries\n"
        "  VLAN              MAC address       Type         Age Interfaces\n"
        "  employees         *                 Flood          - All-members\n"
        "  employees         00:14:22:bb:00:21 Learn         42 ge-0/0/3.0\n"
        "  employees         3c:22:fb:bb:00:22 Learn       1:10 ge-0/0/4.0\n"
        "  default           *                 Flood          - All-members\n"
        "  default           b8:27:eb:bb:00:24 Learn          0 ge-0/0/10.0\n"
    )
    result = translate_ssh(out, NOW)
    assert [(o["macs"][0], o["switch_port"], o["vlan"]) for o in result.endpoints] == [
        ("00:14:22:bb:00:21", "ge-0/0/3", 10),
        ("3c:22:fb:bb:00:22", "ge-0/0/4", 10),
        ("b8:27:eb:bb:00:24", "ge-0/0/10", 1),
    ]


def test_arp_of_one_device_adds_ips_to_macs_another_saw():
    sw1, leaf = translate_ssh(device("cisco_ios_sw1"), NOW), translate_ssh(device("arista_eos_leaf1"), NOW)
    phone = next(o for o in sw1.endpoints if o["macs"] == ["00:04:f2:aa:00:07"])
    assert "ip_addresses" not in phone
    leaf.arp["00:04:f2:aa:00:07"] = ["10.20.1.7"]
    merge_arp([sw1, leaf])
    assert phone["ip_addresses"] == ["10.20.1.7"]


def test_linux_host_from_dmi_ip_json_os_release_and_logins():
    dev = translate_ssh(device("linux_pc1"), NOW).device
    assert dev["kind"] == "computer"
    assert (dev["serial_number"], dev["manufacturer"], dev["model"]) == (
        DMI["product_serial"],
        DMI["sys_vendor"],
        DMI["product_name"],
    )
    assert dev["device_uuid"] == DMI["product_uuid"].lower()
    assert dev["os_name"] == "Debian GNU/Linux" and dev["os_version"]
    assert not any(i["name"] in ("lo",) or i["name"].startswith("ifb") for i in dev["interfaces"])
    assert dev["macs"] and all(i.get("mac") in dev["macs"] for i in dev["interfaces"] if i.get("mac"))
    assert dev["users"] == [
        {"login": "root", "kind": "current", "seen_at": NOW},
        {"login": "nobody", "kind": "last", "seen_at": dev["users"][1]["seen_at"]},
    ]
    assert dev["users"][1]["seen_at"].endswith("Z")


def test_who_and_last_parsing():
    assert parse_who("alice    pts/0        2026-11-25 08:40 (10.0.0.5)\nalice pts/1 x\n", NOW) == [
        {"login": "alice", "kind": "current", "seen_at": NOW}
    ]
    text = (
        "bob      pts/1        10.0.0.5         Tue Nov 24 07:01:02 2026 - Tue Nov 24 09:15:00 2026  (02:13)\n"
        "bob      pts/1        10.0.0.5         Mon Nov 23 07:01:02 2026 - Mon Nov 23 09:15:00 2026  (02:13)\n"
        "carol    pts/2        10.0.0.6         Wed Nov 25 08:40:12 2026   still logged in\n"
        "reboot   system boot  6.1.0-13-amd64   Mon Nov 23 06:00:00 2026   still running\n\n"
        "wtmp begins Mon Nov 23 06:00:00 2026\n"
    )
    assert parse_last(text, NOW) == [
        {"login": "bob", "kind": "last", "seen_at": "2026-11-24T09:15:00Z"},
        {"login": "carol", "kind": "last", "seen_at": NOW},
    ]
    assert parse_last("last: cannot open /var/log/wtmp: No such file or directory\n", NOW) == []
