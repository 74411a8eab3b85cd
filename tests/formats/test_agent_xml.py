"""parse_agent_xml on payloads recorded from the real FusionInventory and OCS agents."""

import json
import zlib
from datetime import UTC, datetime

import pytest

from inventory.formats.agent_content import login_time
from inventory.formats.agent_xml import AgentMessage, parse_agent_xml, prolog_reply
from inventory.formats.compression import compress_zlib, decompress
from inventory.formats.payload import PayloadError
from tests.formats.conftest import CONTRACT_KEYS, fixture_bytes, raw_rows, raw_text

FUSION = fixture_bytes("fusion-inventory.xml")
OCS = fixture_bytes("ocs-inventory.xml")


def _mac(value: str) -> str:
    return value.strip().lower()


@pytest.mark.parametrize("name", ["fusion-prolog.xml", "ocs-prolog.xml"])
def test_prolog_gives_the_device_id(name):
    xml = fixture_bytes(name)
    message = parse_agent_xml(xml)
    assert message == AgentMessage("PROLOG", raw_text(xml, "DEVICEID"))
    assert message.observation is None


@pytest.mark.parametrize("xml", [FUSION, OCS], ids=["fusion", "ocs"])
def test_inventory_identifies_the_machine(xml):
    message = parse_agent_xml(xml)
    hardware = raw_rows(xml, "HARDWARE")[0]
    assert message.query == "INVENTORY"
    assert message.deviceid == raw_text(xml, "DEVICEID")
    obs = message.observation
    assert obs["agent_id"] == message.deviceid
    assert obs["kind"] == "computer"
    assert obs["hostname"] == hardware["NAME"]
    assert obs["hardware"]["memory_mb"] == int(hardware["MEMORY"])
    assert set(obs) <= CONTRACT_KEYS
    json.dumps(obs)  # the observation goes out as JSON as it is


def test_fusion_bios_and_uuid_come_from_the_injected_content():
    injected = fixture_bytes("fusion-additional-content.xml")
    bios, hardware = raw_rows(injected, "BIOS")[0], raw_rows(injected, "HARDWARE")[0]
    obs = parse_agent_xml(FUSION).observation
    assert obs["serial_number"] == bios["SSN"] == raw_rows(FUSION, "BIOS")[0]["SSN"]
    assert obs["manufacturer"] == bios["SMANUFACTURER"]
    assert obs["model"] == bios["SMODEL"]
    assert obs["device_uuid"] == hardware["UUID"].lower()


def test_ocs_without_dmi_sends_no_serial():
    obs = parse_agent_xml(OCS).observation
    assert raw_rows(OCS, "BIOS") == [{}]  # the recording machine has no /dev/mem
    assert not {"serial_number", "manufacturer", "model", "device_uuid"} & set(obs)


def test_fusion_macs_are_deduplicated_and_virtual_devices_left_out():
    rows = raw_rows(FUSION, "NETWORKS")
    physical = [r for r in rows if r.get("VIRTUALDEV") != "1"]
    virtual = {_mac(r["MACADDR"]) for r in rows if r.get("VIRTUALDEV") == "1"}
    obs = parse_agent_xml(FUSION).observation
    assert len(physical) > len(obs["macs"])  # one row per address: the same MAC comes several times
    assert obs["macs"] == list(dict.fromkeys(_mac(r["MACADDR"]) for r in physical))
    assert not virtual & set(obs["macs"])
    assert [i["name"] for i in obs["interfaces"]] == list(dict.fromkeys(r["DESCRIPTION"] for r in physical))


def test_fusion_interfaces_gather_their_addresses():
    rows = raw_rows(FUSION, "NETWORKS")
    obs = parse_agent_xml(FUSION).observation
    for interface in obs["interfaces"]:
        mine = [r for r in rows if r["DESCRIPTION"] == interface["name"]]
        addresses = [r.get("IPADDRESS") or r.get("IPADDRESS6") for r in mine]
        expected = [a for a in addresses if a and not a.startswith(("127.", "fe80:", "::1"))]
        assert interface["ip_addresses"] == expected
        assert interface["mac"] == _mac(mine[0]["MACADDR"])
    assert raw_rows(FUSION, "HARDWARE")[0]["IPADDR"] in obs["ip_addresses"]


def test_ocs_macs_without_virtualdev_flags():
    rows = raw_rows(OCS, "NETWORKS")
    assert all("VIRTUALDEV" not in r for r in rows)
    obs = parse_agent_xml(OCS).observation
    assert obs["macs"] == list(dict.fromkeys(_mac(r["MACADDR"]) for r in rows))
    # OCS puts IPv6 in IPADDRESS too; link-local ones are dropped.
    assert obs["ip_addresses"] == [r["IPADDRESS"] for r in rows if r.get("IPADDRESS", "").count(".") == 3]


@pytest.mark.parametrize("xml", [FUSION, OCS], ids=["fusion", "ocs"])
def test_software_list_is_complete(xml):
    rows = raw_rows(xml, "SOFTWARES")
    software = parse_agent_xml(xml).observation["software"]
    assert len(software) == len([r for r in rows if r.get("NAME")]) > 100
    first = rows[0]
    assert software[0] == {k.lower(): first[k] for k in ("NAME", "VERSION", "PUBLISHER") if first.get(k)}


def test_cpu_and_disks():
    for xml, cores_tag, name_tag in ((FUSION, "CORE", "NAME"), (OCS, "CORES", "TYPE")):
        cpu = raw_rows(xml, "CPUS")[0]
        hardware = parse_agent_xml(xml).observation["hardware"]
        assert hardware["cpu"] == cpu[name_tag]
        assert hardware["cpu_cores"] == int(cpu[cores_tag])
        storages = [r for r in raw_rows(xml, "STORAGES") if r.get("NAME")]
        assert [d["name"] for d in hardware["disks"]] == [r["NAME"] for r in storages]
        assert hardware["disks"][0]["size_mb"] == int(float(storages[0]["DISKSIZE"]))  # OCS writes "274877.906944"


def test_operating_system():
    fusion = parse_agent_xml(FUSION).observation
    system = raw_rows(FUSION, "OPERATINGSYSTEM")[0]
    assert (fusion["os_name"], fusion["os_version"]) == (system["NAME"], system["VERSION"])
    ocs = parse_agent_xml(OCS).observation
    hardware = raw_rows(OCS, "HARDWARE")[0]
    assert (ocs["os_name"], ocs["os_version"]) == (hardware["OSNAME"], hardware["OSVERSION"])


def test_users_current_with_domain_and_no_wtmp_artifact():
    hardware = raw_rows(FUSION, "HARDWARE")[0]
    assert hardware["LASTLOGGEDUSER"] == "wtmp"  # what FusionInventory reports when wtmp is empty
    user = raw_rows(FUSION, "USERS")[0]
    assert parse_agent_xml(FUSION).observation["users"] == [
        {"login": f"{user['DOMAIN']}\\{user['LOGIN']}", "kind": "current"}
    ]


def test_users_from_hardware_fields_when_no_users_section():
    xml = (
        b"<REQUEST><DEVICEID>d1</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><NAME>pc1</NAME>"
        b"<USERID>alice/bob</USERID><LASTLOGGEDUSER>carol</LASTLOGGEDUSER></HARDWARE></CONTENT></REQUEST>"
    )
    assert parse_agent_xml(xml).observation["users"] == [
        {"login": "alice", "kind": "current"},
        {"login": "bob", "kind": "current"},
        {"login": "carol", "kind": "last"},
    ]


def test_last_logged_user_carries_the_time_of_that_login():
    xml = (
        b"<REQUEST><DEVICEID>d1</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><NAME>pc1</NAME>"
        b"<LASTLOGGEDUSER>carol</LASTLOGGEDUSER><DATELASTLOGGEDUSER>Mon Nov 24 17:42</DATELASTLOGGEDUSER>"
        b"</HARDWARE></CONTENT></REQUEST>"
    )
    (user,) = parse_agent_xml(xml).observation["users"]
    assert (user["login"], user["kind"]) == ("carol", "last")
    when = datetime.fromisoformat(user["seen_at"])
    # `last` gives no year: the latest one, not in the future, on which 24 November was a Monday.
    assert (when.month, when.day, when.hour, when.minute, when.weekday()) == (11, 24, 17, 42, 0)
    assert when <= datetime.now(UTC) and when.year > datetime.now(UTC).year - 12
    assert parse_agent_xml(xml) == parse_agent_xml(xml)  # the same report, the same time: no new day of use


RECORDED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # when the fixtures were recorded


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # fusion-inventory.xml's own value ("wtmp begins Tue May 20 00:00:00 2025" on the recording machine)
        (raw_rows(FUSION, "HARDWARE")[0]["DATELASTLOGGEDUSER"], datetime(2025, 5, 20, 0, 0, tzinfo=UTC)),
        (raw_rows(OCS, "HARDWARE")[0]["DATELASTLOGGEDUSER"], None),  # OCS: empty when wtmp is
        ("Wed Nov 25 08:05", datetime(2026, 11, 25, 8, 5, tzinfo=UTC)),  # today
        ("Thu Nov 26 00:30", datetime(2026, 11, 26, 0, 30, tzinfo=UTC)),  # a clock some hours ahead of ours
        ("Fri Dec 26 09:00", datetime(2025, 12, 26, 9, 0, tzinfo=UTC)),  # not in the future: last year's
        ("Mon Nov 24 17:42:01 2025", datetime(2025, 11, 24, 17, 42, 1, tzinfo=UTC)),  # last -F gives the year
        ("2026-11-20 07:30:00", datetime(2026, 11, 20, 7, 30, tzinfo=UTC)),
        ("2026-11-20T07:30:00+01:00", datetime(2026, 11, 20, 6, 30, tzinfo=UTC)),
        ("2027-01-01 00:00:00", None),  # in the future
        ("still logged in", None),
        ("Mon Nov 24", None),
        ("Mon Nov 31 10:00", None),
    ],
)
def test_last_login_time_formats(value, expected):
    assert login_time(value, RECORDED) == expected


def test_raw_zlib_body_as_sent_parses_like_the_xml():
    body = fixture_bytes("fusion-inventory.zlib")
    assert body[:1] == b"\x78"  # a zlib header, as the agent sent it
    plain = decompress(body, "application/x-compress-zlib", 10 * 1024 * 1024)
    assert plain == FUSION
    assert parse_agent_xml(plain) == parse_agent_xml(FUSION)


def test_windows_1252_names_in_a_utf8_declared_document():
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><REQUEST><DEVICEID>pc-2</DEVICEID><QUERY>INVENTORY</QUERY>'
        b"<CONTENT><HARDWARE><NAME>pc-2</NAME></HARDWARE><SOFTWARES><NAME>Caf\xe9 \x80 Suite</NAME>"
        b"<PUBLISHER>Soci\xe9t\xe9</PUBLISHER></SOFTWARES></CONTENT></REQUEST>"
    )
    obs = parse_agent_xml(xml).observation
    assert obs["software"] == [{"name": "Café € Suite", "publisher": "Société"}]


def test_latin1_declared_document():
    xml = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?><REQUEST><DEVICEID>pc-3</DEVICEID><QUERY>INVENTORY</QUERY>'
        b"<CONTENT><HARDWARE><NAME>b\xfcro-1</NAME></HARDWARE></CONTENT></REQUEST>"
    )
    assert parse_agent_xml(xml).observation["hostname"] == "büro-1"


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>", "unsupported QUERY"),
        (b"<REQUEST><QUERY>PROLOG</QUERY></REQUEST>", "missing DEVICEID"),
        (b"<REQUEST><DEVICEID> </DEVICEID><QUERY>PROLOG</QUERY></REQUEST>", "missing DEVICEID"),
        (b"<REPLY><RESPONSE>SEND</RESPONSE></REPLY>", "expected a <REQUEST>"),
        (b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>", "without CONTENT"),
    ],
)
def test_requests_that_are_not_prolog_or_inventory_are_refused(xml, message):
    with pytest.raises(PayloadError, match=message) as caught:
        parse_agent_xml(xml)
    assert caught.value.status == 400


def test_query_is_case_insensitive_and_empty_inventory_still_identifies():
    message = parse_agent_xml(b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>inventory</QUERY><CONTENT/></REQUEST>")
    assert message.observation == {"kind": "computer", "agent_id": "d"}


def test_prolog_reply_compressed_is_what_agents_expect():
    reply = zlib.decompress(compress_zlib(prolog_reply(12)))
    assert reply == b"<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>12</PROLOG_FREQ></REPLY>"
