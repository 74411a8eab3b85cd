"""parse_glpi_json on a GLPI Agent inventory.

glpi-agent is not packaged in Debian, so fixtures/glpi-inventory.json is written by hand after
glpi-project/inventory_format (inventory.schema.json and examples/computer_1.json).
"""

import json

import pytest

from inventory.formats.agent_json import parse_glpi_json
from inventory.formats.payload import PayloadError
from tests.formats.conftest import CONTRACT_KEYS, fixture_bytes

RAW = fixture_bytes("glpi-inventory.json")
DOC = json.loads(RAW)
CONTENT = DOC["content"]


def test_identifiers_and_attributes():
    obs = parse_glpi_json(RAW)
    bios, hardware, system = CONTENT["bios"], CONTENT["hardware"], CONTENT["operatingsystem"]
    assert set(obs) <= CONTRACT_KEYS
    assert obs["kind"] == "computer"
    assert obs["agent_id"] == DOC["deviceid"]
    assert obs["hostname"] == hardware["name"]
    assert (obs["serial_number"], obs["manufacturer"], obs["model"]) == (
        bios["ssn"],
        bios["smanufacturer"],
        bios["smodel"],
    )
    assert obs["device_uuid"] == hardware["uuid"].lower()
    assert (obs["os_name"], obs["os_version"]) == (system["name"], system["version"])
    assert obs["hardware"]["memory_mb"] == hardware["memory"]
    assert obs["hardware"]["cpu"] == CONTENT["cpus"][0]["name"]
    assert obs["hardware"]["cpu_cores"] == CONTENT["cpus"][0]["core"]
    disk = CONTENT["storages"][0]
    assert obs["hardware"]["disks"] == [
        {"name": disk["name"], "model": disk["model"], "serial": disk["serial"], "size_mb": disk["disksize"]}
    ]


def test_networks_deduplicated_normalised_and_virtual_left_out():
    networks = CONTENT["networks"]
    obs = parse_glpi_json(RAW)
    physical = [n for n in networks if not n["virtualdev"]]
    assert obs["macs"] == list(dict.fromkeys(n["mac"].lower() for n in physical))
    assert len(obs["macs"]) < len(physical)
    assert not {n["mac"] for n in networks if n["virtualdev"]} & set(obs["macs"])
    wifi = next(i for i in obs["interfaces"] if i["name"] == "wlp0s20f3")
    assert wifi["ip_addresses"] == [
        n.get("ipaddress") or n.get("ipaddress6") for n in networks if n["description"] == "wlp0s20f3"
    ]
    assert "172.17.0.1" not in obs["ip_addresses"]  # docker0 is virtual


def test_software_and_users():
    obs = parse_glpi_json(RAW)
    assert [s["name"] for s in obs["software"]] == [s["name"] for s in CONTENT["softwares"]]
    assert obs["software"][0] == {k: CONTENT["softwares"][0][k] for k in ("name", "version", "publisher")}
    user = CONTENT["users"][0]
    last = obs["users"][1]["seen_at"]  # datelastloggeduser "Mon Nov 24 17:42": the year is inferred
    assert last[4:] == "-11-24T17:42:00+00:00"
    assert obs["users"] == [
        {"login": f"{user['domain']}\\{user['login']}", "kind": "current"},
        {"login": CONTENT["hardware"]["lastloggeduser"], "kind": "last", "seen_at": last},
    ]


def test_bytes_text_and_object_give_the_same_observation():
    assert parse_glpi_json(RAW) == parse_glpi_json(RAW.decode()) == parse_glpi_json(DOC)


def test_legacy_query_field_and_itemtypes():
    legacy = {"deviceid": "x", "query": "INVENTORY", "content": {"hardware": {"name": "h"}}}
    assert parse_glpi_json(legacy) == {"kind": "computer", "agent_id": "x", "hostname": "h"}
    phone = {**legacy, "itemtype": "Phone"}
    assert parse_glpi_json(phone)["kind"] == "phone"
    assert parse_glpi_json({**legacy, "itemtype": "NetworkEquipment"})["kind"] == "network_device"


@pytest.mark.parametrize(
    "document",
    [
        {"action": "contact", "deviceid": "x", "name": "GLPI-Agent_v1.11"},
        {"action": "inventory", "deviceid": "x"},
        {"action": "inventory", "deviceid": "x", "content": []},
        {"deviceid": "x", "query": "SNMP", "content": {}},
        {"deviceid": "x", "itemtype": "Spaceship", "content": {}},
        [1, 2],
        b"\xff\xfe not json",
        b"{",
        "",
    ],
)
def test_not_an_inventory_is_refused(document):
    with pytest.raises(PayloadError) as caught:
        parse_glpi_json(document)
    assert caught.value.status == 400


def test_sections_of_the_wrong_shape_are_tolerated():
    document = {
        "deviceid": "x",
        "content": {
            "bios": [{"ssn": "S1"}, {"ssn": "S2"}],
            "hardware": "not an object",
            "networks": {"description": "eth0", "mac": "AA-BB-CC-00-11-22", "ipaddress": ["10.0.0.1"]},
            "softwares": [None, 3, {"version": "1"}, {"name": "ok", "version": 2}],
            "users": [{"login": {"x": 1}}],
        },
    }
    obs = parse_glpi_json(document)
    assert obs["serial_number"] == "S1"
    assert obs["macs"] == ["aa:bb:cc:00:11:22"]
    assert obs["interfaces"] == [{"name": "eth0", "mac": "aa:bb:cc:00:11:22", "ip_addresses": []}]
    assert obs["software"] == [{"name": "ok", "version": "2"}]
    assert "users" not in obs and "hostname" not in obs
