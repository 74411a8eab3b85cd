"""Property tests for the scanner-side parsers: whatever a device or nmap prints, they never crash.

nmap translate(): any text or garbled nmap XML gives a well-formed list of observations or NmapXmlError, never
another exception. ssh parsing: TextFSM wrappers and fallbacks take any text and return rows of strings.
"""

import ipaddress
import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scanners.nmap_discovery.translate import NmapXmlError, live_hosts, translate
from scanners.ssh_collector import parsing
from scanners.ssh_collector.commands import COMMANDS
from tests.scanners.conftest import FIXTURES

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
# Characters XML 1.0 can carry (no controls, no lone surrogates): what ElementTree can write.
XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


def _one_of_or_junk(*values: str):
    return st.one_of(st.sampled_from(values), XML_TEXT)


@st.composite
def nmap_host(draw) -> ET.Element:
    host = ET.Element("host", {"starttime": draw(_one_of_or_junk("1764579600", "0", "99999999999999999999")),
                               "endtime": draw(_one_of_or_junk("1764579601", "", "-5", "²"))})
    ET.SubElement(host, "status", {"state": draw(_one_of_or_junk("up", "down"))})
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(_one_of_or_junk("ipv4", "ipv6", "mac"))
        addr = draw(_one_of_or_junk("10.213.0.11", "fe80::1", "00:14:22:AA:00:11", "999.1.1.1", "zz:zz"))
        attrs = {"addrtype": kind, "addr": addr}
        if draw(st.booleans()):
            attrs["vendor"] = draw(XML_TEXT)
        ET.SubElement(host, "address", attrs)
    names = ET.SubElement(host, "hostnames")
    for _ in range(draw(st.integers(0, 2))):
        ET.SubElement(names, "hostname", {"name": draw(_one_of_or_junk("pc1.corp.example.", ".", "")),
                                          "type": draw(_one_of_or_junk("PTR", "user"))})
    ports = ET.SubElement(host, "ports")
    for _ in range(draw(st.integers(0, 3))):
        port = ET.SubElement(ports, "port", {"protocol": draw(_one_of_or_junk("tcp", "udp", "sctp")),
                                             "portid": draw(_one_of_or_junk("22", "0", "65536", "-1", "8O"))})
        ET.SubElement(port, "state", {"state": draw(_one_of_or_junk("open", "closed", "filtered"))})
        if draw(st.booleans()):
            ET.SubElement(port, "service", {"name": draw(XML_TEXT), "product": draw(XML_TEXT),
                                            "version": draw(XML_TEXT)})
    os_ = ET.SubElement(host, "os")
    for _ in range(draw(st.integers(0, 2))):
        match = ET.SubElement(os_, "osmatch", {"name": draw(XML_TEXT),
                                               "accuracy": draw(_one_of_or_junk("96", "100", "150", "-3", "x"))})
        ET.SubElement(match, "osclass", {"type": draw(_one_of_or_junk("general purpose", "switch", "printer"))})
    return host


@st.composite
def nmap_xml(draw) -> str:
    root = ET.Element("nmaprun", {"scanner": "nmap"})
    root.extend(draw(st.lists(nmap_host(), max_size=4)))
    xml = ET.tostring(root, encoding="unicode")
    if draw(st.booleans()):  # garbled: cut short, or a byte flipped
        cut = draw(st.integers(0, len(xml)))
        xml = xml[:cut] if draw(st.booleans()) else xml[:cut] + draw(st.sampled_from("<>&\"'/ \x00")) + xml[cut + 1:]
    return xml


def _assert_well_formed(observations) -> None:
    assert isinstance(observations, list)
    json.dumps(observations)  # plain JSON types only: what the push client sends
    seen = []
    for obs in observations:
        assert obs["ip_addresses"], obs
        for ip in obs["ip_addresses"]:
            ipaddress.ip_address(ip)  # an address, never junk from the XML
        seen.append(obs["ip_addresses"][0])
        for mac in obs.get("macs", []):
            assert MAC.match(mac), mac
        if "hostname" in obs:
            assert isinstance(obs["hostname"], str) and 0 < len(obs["hostname"]) <= 255
            assert obs["hostname"] == obs["hostname"].lower() and not obs["hostname"].endswith(".")
        for port in obs.get("open_ports", []):
            assert 1 <= port["port"] <= 65535 and port["protocol"] in ("tcp", "udp", "sctp"), port
        if "os_accuracy" in obs:
            assert 0 <= obs["os_accuracy"] <= 100
        if "seen_at" in obs:
            assert ISO_Z.match(obs["seen_at"]), obs["seen_at"]
    assert len(seen) == len(observations)


def _translate(xml):
    try:
        result = translate(xml)
    except NmapXmlError:
        return None
    _assert_well_formed(result)
    assert live_hosts(xml) >= len(result)
    return result


@SETTINGS
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
@example("<nmaprun>")
@example(b"<?xml version='1.0' encoding='no-such-codec'?><nmaprun/>")
@example('<!DOCTYPE n [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><nmaprun>&b;</nmaprun>')
def test_nmap_translate_on_any_text_returns_observations_or_its_error(text):
    _translate(text)


@SETTINGS
@given(nmap_xml())
def test_nmap_translate_on_garbled_nmap_xml_is_well_formed(xml):
    _translate(xml)


@SETTINGS
@given(st.integers(0, 20_000), st.sampled_from(["nmap_segment_ports.xml", "nmap_segment_sV_O.xml"]))
def test_a_recorded_scan_cut_short_anywhere(cut, name):
    xml = (FIXTURES / name).read_text()
    _translate(xml[:cut])


def test_the_generated_hosts_do_reach_the_translator():
    """The strategy above is not vacuous: a host it can build does come out as an observation."""
    host = ET.Element("host", {"endtime": "1764579601"})
    ET.SubElement(host, "status", {"state": "up"})
    ET.SubElement(host, "address", {"addrtype": "ipv4", "addr": "10.213.0.11"})
    root = ET.Element("nmaprun")
    root.append(host)
    (obs,) = _translate(ET.tostring(root, encoding="unicode"))
    assert obs["ip_addresses"] == ["10.213.0.11"] and obs["seen_at"] == "2025-12-01T09:00:01Z"


PLATFORM_COMMANDS = sorted({(p, key, cmds) for p, keys in COMMANDS.items() for key, cmds in keys.items()})
CLI_TEXT = st.one_of(
    st.text(max_size=400),
    # Lines that look like device output, shuffled: closer to what the templates match on.
    st.lists(st.sampled_from([
        "Gi1/0/5 is up, line protocol is up", "  Hardware is Gigabit Ethernet, address is 0014.22aa.0011",
        "  Internet address is 10.20.0.1/24", "Physical interface: ge-0/0/3, Enabled", "Local Interface : ge-0/0/12",
        "  Chassis ID : 64:16:7f:bb:00:25", "System capabilities", "  Supported : Bridge Telephone",
        "Enabled : Bridge", "  10    0014.22aa.0011    DYNAMIC     Gi1/0/5", "Serial Number: FOC2001X0AB",
        "Model: EX4300-48P", "Junos: 21.4R3", "employees 00:14:22:bb:00:21 D - ge-0/0/3.0 0 0", "",
        "% Invalid input detected at '^' marker.", "Device ID: core1", "Capabilities: Router Switch",
    ]), max_size=30).map("\n".join),
)


@SETTINGS
@given(st.sampled_from(PLATFORM_COMMANDS), CLI_TEXT)
def test_textfsm_on_any_text_gives_rows_or_a_reason_never_an_exception(platform_key_commands, text):
    platform, _key, commands = platform_key_commands
    rows, error = parsing.textfsm(platform, commands, text)
    assert (rows is None) != (error is None) or (rows is not None and error is None)
    if rows is not None:
        assert isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        json.dumps(rows)
    else:
        assert isinstance(error, str) and error


@SETTINGS
@given(CLI_TEXT)
def test_fallback_parsers_on_any_text_give_rows_of_strings(text):
    for rows in (parsing.interfaces_fallback(text), parsing.junos_mac_table_fallback(text),
                 parsing.junos_lldp_detail(text)):
        assert isinstance(rows, list)
        for row in rows:
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in row.items()), row
    found = parsing.version_fallback(text)
    assert all(isinstance(v, str) and v for v in found.values())
    assert isinstance(parsing.cdp_lldp_is_infrastructure(text, "cdp"), bool)
    assert isinstance(parsing.cdp_lldp_is_infrastructure(text, "lldp"), bool)


@SETTINGS
@given(st.one_of(st.none(), st.text(max_size=40)))
@example("0014.22AA.0011")
@example("²")
@example("٣")
def test_normalisers_on_any_text(value):
    mac = parsing.normalize_mac(value)
    assert mac is None or (MAC.match(mac) and parsing.normalize_mac(mac) == mac)
    vlan = parsing.as_vlan(value)
    assert vlan is None or (isinstance(vlan, int) and 1 <= vlan <= 4094)
    key = parsing.port_key(value)
    assert isinstance(key, str) and key == key.lower()
    if value is not None:
        assert isinstance(parsing.display_port(value), str)


@pytest.mark.parametrize("spelling", ["GigabitEthernet1/0/10", "Gig 1/0/10", "Gi1/0/10", "gi1/0/10"])
def test_port_key_spellings_agree(spelling):
    assert parsing.port_key(spelling) == parsing.port_key("Gi1/0/10") == "gi1/0/10"
