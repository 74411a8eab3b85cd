"""Property tests: nothing but PayloadError escapes the parsers, and MACs survive any well-formed inventory."""

import ipaddress
import json
import xml.etree.ElementTree as StdET

from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.formats.agent_json import parse_glpi_json
from inventory.formats.agent_xml import parse_agent_xml
from inventory.formats.compression import compress_zlib, decompress
from inventory.formats.payload import PayloadError

CONTENT_TYPES = ["application/x-compress-zlib", "application/x-compress", "gzip", "application/xml", "", "x/unknown"]
XML_TOKENS = [
    *"<REQUEST> </REQUEST> <CONTENT> </CONTENT> <QUERY> </QUERY> INVENTORY PROLOG <DEVICEID> </DEVICEID>".split(),
    *"<NETWORKS> </NETWORKS> <MACADDR> </MACADDR> <HARDWARE> </HARDWARE> <MEMORY> </MEMORY> &e; &amp;".split(),
    *"<![CDATA[ ]]> <!--c--> aa:bb:cc:dd:ee:ff 1 -5 1e999".split(),
    "<!DOCTYPE x>",
    "<!ENTITY e 'v'>",
    "<?xml version='1.0'?>",
    " ",
    "\xe9",
    "\x00",
]
# Text an XML 1.0 document can carry: no control characters (agents strip them) and no lone surrogates.
xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=20)
notations = st.sampled_from(["colon", "upper-colon", "dash", "dot", "bare"])


def _notation(raw: bytes, style: str) -> str:
    hexa = raw.hex()
    pairs = [hexa[i : i + 2] for i in range(0, 12, 2)]
    return {
        "colon": ":".join(pairs),
        "upper-colon": ":".join(pairs).upper(),
        "dash": "-".join(pairs).upper(),
        "dot": ".".join(hexa[i : i + 4] for i in range(0, 12, 4)),
        "bare": hexa,
    }[style]


interfaces = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text("abcdefghijklmnopqrstuvwxyz0123456789.-", min_size=1, max_size=12),
            "mac": st.binary(min_size=6, max_size=6),
            "notation": notations,
            "virtual": st.booleans(),
            "ips": st.lists(st.ip_addresses(), max_size=3),
        }
    ),
    max_size=6,
)


def _rows(ifaces: list[dict]) -> list[dict]:
    """One row per address, as agents send them."""
    rows = []
    for iface in ifaces:
        for ip in iface["ips"] or [None]:
            rows.append({**iface, "ip": ip})
    return rows


def _expected_macs(ifaces: list[dict]) -> list[str]:
    macs = (":".join(f"{b:02x}" for b in i["mac"]) for i in ifaces if not i["virtual"])
    return list(dict.fromkeys(m for m in macs if m != "00:00:00:00:00:00"))


def _expected_ips(ifaces: list[dict]) -> list[str]:
    ips = (ip for i in ifaces if not i["virtual"] for ip in i["ips"])
    return list(dict.fromkeys(str(ip) for ip in ips if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)))


def _assert_same_addresses(got: list[str], expected: list[str]) -> None:
    # Addresses come grouped by interface, so their order may differ from the rows'; each appears once.
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got))


def _inventory_xml(deviceid: str, hostname: str, ifaces: list[dict]) -> bytes:
    root = StdET.Element("REQUEST")
    content = StdET.SubElement(root, "CONTENT")
    StdET.SubElement(StdET.SubElement(content, "HARDWARE"), "NAME").text = hostname
    for row in _rows(ifaces):
        network = StdET.SubElement(content, "NETWORKS")
        StdET.SubElement(network, "DESCRIPTION").text = row["name"]
        StdET.SubElement(network, "MACADDR").text = _notation(row["mac"], row["notation"])
        StdET.SubElement(network, "VIRTUALDEV").text = "1" if row["virtual"] else "0"
        if row["ip"] is not None:
            tag = "IPADDRESS" if isinstance(row["ip"], ipaddress.IPv4Address) else "IPADDRESS6"
            StdET.SubElement(network, tag).text = str(row["ip"])
    StdET.SubElement(root, "DEVICEID").text = deviceid
    StdET.SubElement(root, "QUERY").text = "INVENTORY"
    return StdET.tostring(root, encoding="utf-8", xml_declaration=True)


def _inventory_json(deviceid: str, hostname: str, ifaces: list[dict]) -> bytes:
    networks = []
    for row in _rows(ifaces):
        network = {
            "description": row["name"],
            "mac": _notation(row["mac"], row["notation"]),
            "virtualdev": row["virtual"],
        }
        if row["ip"] is not None:
            network["ipaddress" if row["ip"].version == 4 else "ipaddress6"] = str(row["ip"])
        networks.append(network)
    document = {
        "action": "inventory",
        "deviceid": deviceid,
        "content": {"hardware": {"name": hostname}, "networks": networks},
    }
    return json.dumps(document).encode()


@given(deviceid=xml_text.filter(str.strip), hostname=xml_text, ifaces=interfaces)
@settings(deadline=None)
def test_xml_inventory_round_trips_macs_and_addresses(deviceid, hostname, ifaces):
    body = compress_zlib(_inventory_xml(deviceid, hostname, ifaces))
    message = parse_agent_xml(decompress(body, "application/x-compress-zlib", 1024 * 1024))
    obs = message.observation
    assert message.deviceid == deviceid.strip()
    assert obs.get("macs", []) == _expected_macs(ifaces)
    _assert_same_addresses(obs.get("ip_addresses", []), _expected_ips(ifaces))
    assert obs.get("hostname") == (hostname.strip() or None)


@given(deviceid=xml_text, hostname=xml_text, ifaces=interfaces)
@settings(deadline=None)
def test_json_inventory_round_trips_macs_and_addresses(deviceid, hostname, ifaces):
    obs = parse_glpi_json(_inventory_json(deviceid, hostname, ifaces))
    assert obs.get("macs", []) == _expected_macs(ifaces)
    _assert_same_addresses(obs.get("ip_addresses", []), _expected_ips(ifaces))
    assert obs.get("agent_id") == (deviceid.strip() or None)


@given(st.binary(max_size=2048))
def test_random_bytes_only_ever_raise_payload_error(data):
    for parse in (parse_agent_xml, parse_glpi_json):
        try:
            parse(data)
        except PayloadError:
            pass


@given(st.lists(st.sampled_from(XML_TOKENS), max_size=40).map("".join))
def test_xml_like_noise_only_ever_raises_payload_error(text):
    try:
        message = parse_agent_xml(text.encode("utf-8", "surrogatepass"))
    except PayloadError:
        return
    json.dumps(message.observation)


@given(st.binary(max_size=2048), st.sampled_from(CONTENT_TYPES), st.integers(0, 4096))
def test_decompress_of_random_bytes_only_raises_payload_error(data, content_type, cap):
    for body in (data, compress_zlib(data)[: len(data) // 2 + 1]):
        try:
            assert len(decompress(body, content_type, cap)) <= cap
        except PayloadError as exc:
            assert exc.status in (400, 413, 415)


SECTIONS = ["bios", "hardware", "operatingsystem", "networks", "cpus", "storages", "softwares", "users"]
FIELDS = (
    "ssn smanufacturer smodel name uuid memory mac ipaddress ipaddress6 description virtualdev core disksize serial"
    " version publisher login domain userid type"
).split()
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)


@given(
    st.fixed_dictionaries(
        {"deviceid": json_values, "content": st.dictionaries(st.sampled_from(SECTIONS), json_values, max_size=8)},
        optional={"action": st.sampled_from(["inventory", "contact"]) | json_values, "itemtype": json_values},
    )
)
def test_random_json_inventories_only_raise_payload_error(document):
    try:
        obs = parse_glpi_json(document)
    except PayloadError:
        return
    json.dumps(obs)
    assert all(isinstance(mac, str) and len(mac) == 17 for mac in obs.get("macs", []))
