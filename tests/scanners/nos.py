"""FakeNOS devices for the SSH collector tests: each switch with its own serial, MAC table, ARP and neighbours."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

USER, PASSWORD = "netops", "s3cret-pw"
PROMPTS = ["{base_prompt}>", "{base_prompt}#"]

SW1_SERIAL, SW1_MODEL = "FOC2001X0AB", "WS-C2960X-48FPD-L"
LEAF_SERIAL, LEAF_MODEL = "JPE20AB1234", "DCS-7050TX-64-R"

# Endpoints on access ports: (mac as the switch prints it, port, vlan, ip from ARP or None)
SW1_ENDPOINTS = [
    ("0014.22aa.0011", "Gi1/0/5", 10, "10.20.0.15"),  # Dell laptop
    ("3c22.fbaa.0012", "Gi1/0/6", 10, "10.20.0.16"),  # Mac
    ("0004.f2aa.0007", "Gi1/0/7", 20, None),  # IP phone (CDP: Host Phone), an endpoint too
    ("001b.21aa.0017", "Gi1/0/7", 10, "10.20.0.17"),  # the PC behind the phone
]
SW1_CORE_UPLINK = "Gi1/0/48"  # CDP neighbour core1, a router/switch
SW1_TRUNK = "Gi1/0/47"  # trunk per `show interfaces switchport`, no neighbour
SW1_HUB = "Gi1/0/24"  # an unmanaged switch: no neighbour, but 7 MACs
LEAF_ENDPOINTS = [("0014.22cc.0031", "Et3", 30, "10.30.0.31")]
LEAF_UPLINK = "Et49/1"  # LLDP neighbour spine1 (Bridge, Router)


@functools.cache
def _defaults(platform: str) -> dict:
    import fakenos

    path = Path(fakenos.__file__).parent / "plugins" / "nos" / "platforms_yaml" / f"{platform}.yaml"
    return yaml.safe_load(path.read_text())["commands"]


def _cmd(output: str) -> dict:
    return {"output": output, "prompt": PROMPTS, "help": "test output"}


def _mac_row(vlan: int, mac: str, port: str) -> str:
    return f"  {vlan:<4}  {mac}    DYNAMIC     {port}"


def sw1_commands() -> dict:
    version = (
        _defaults("cisco_ios")["show version"]["output"]
        .replace("rtr-01 uptime is", "sw1 uptime is")
        .replace("991UCMIHG4UAJ1J010CQG", SW1_SERIAL)
    )
    inventory = (
        f'NAME: "1", DESCR: "{SW1_MODEL}"\nPID: {SW1_MODEL}  , VID: V05  , SN: {SW1_SERIAL}\n\n'
        'NAME: "GigabitEthernet1/0/49", DESCR: "1000BaseSX SFP"\n'
        "PID: GLC-SX-MMD          , VID: V01  , SN: AGM2011QQ01\n"
    )
    rows = [_mac_row(v, m, p) for m, p, v, _ in SW1_ENDPOINTS]
    rows += [_mac_row(1, f"001b.21bb.00{i:02d}", SW1_CORE_UPLINK) for i in range(6)]
    rows += [_mac_row(10, f"0014.22dd.00{i:02d}", SW1_HUB) for i in range(7)]
    rows += [_mac_row(99, "0014.22ee.0001", SW1_TRUNK)]
    mac_table = (
        "          Mac Address Table\n-------------------------------------------\n\n"
        "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n"
        + "\n".join(rows)
        + f"\nTotal Mac Addresses for this criterion: {len(rows)}\n"
    )
    arp = "Protocol  Address          Age (min)  Hardware Addr   Type   Interface\n" + "".join(
        f"Internet  {ip:<15}         3   {mac}  ARPA   Vlan{vlan}\n" for mac, _, vlan, ip in SW1_ENDPOINTS if ip
    )
    arp += "Internet  10.20.0.2               -   001e.f7aa.0101  ARPA   Vlan10\n"
    cdp = (
        "-------------------------\nDevice ID: core1.example.com\nEntry address(es):\n  IP address: 10.20.0.1\n"
        "Platform: cisco WS-C3850-24T,  Capabilities: Router Switch IGMP\n"
        "Interface: GigabitEthernet1/0/48,  Port ID (outgoing port): GigabitEthernet1/0/1\nHoldtime : 150 sec\n\n"
        "Version :\nCisco IOS Software, IOS-XE Software, Version 16.12.4\n\nadvertisement version: 2\n"
        "Native VLAN: 1\nDuplex: full\n\n"
        "-------------------------\nDevice ID: SEP0004F2AA0007\nEntry address(es):\n  IP address: 10.20.1.7\n"
        "Platform: Cisco IP Phone 8845,  Capabilities: Host Phone Two-port Mac Relay\n"
        "Interface: GigabitEthernet1/0/7,  Port ID (outgoing port): Port 1\nHoldtime : 160 sec\n\n"
        "Version :\nsip8845_65.14-0-1\n\nadvertisement version: 2\nDuplex: full\n\n"
    )
    switchport = "".join(
        f"Name: {port}\nSwitchport: Enabled\nAdministrative Mode: {mode}\nOperational Mode: {mode}\n"
        f"Administrative Trunking Encapsulation: dot1q\nNegotiation of Trunking: Off\n"
        f"Access Mode VLAN: {vlan} (VLAN{vlan:04d})\nTrunking Native Mode VLAN: 1 (default)\n"
        f"Voice VLAN: none\nTrunking VLANs Enabled: ALL\n\n"
        for port, mode, vlan in (("Gi1/0/5", "static access", 10), ("Gi1/0/47", "trunk", 1), ("Gi1/0/48", "trunk", 1))
    )
    interfaces = (
        "Vlan10 is up, line protocol is up \n  Hardware is EtherSVI, address is 001e.f7aa.0101 (bia 001e.f7aa.0101)\n"
        "  Internet address is 10.20.0.2/24\n  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, \n"
        "GigabitEthernet1/0/5 is up, line protocol is up (connected) \n"
        "  Hardware is Gigabit Ethernet, address is 001e.f7aa.0105 (bia 001e.f7aa.0105)\n"
        "  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, \n"
    )
    return {
        "show version": _cmd(version),
        "show inventory": _cmd(inventory),
        "show mac address-table": _cmd(mac_table),
        "show ip arp": _cmd(arp),
        "show cdp neighbors detail": _cmd(cdp),
        "show lldp neighbors detail": _cmd("% LLDP is not enabled\n"),
        "show interfaces switchport": _cmd(switchport),
        "show interfaces": _cmd(interfaces),
    }


def leaf_commands() -> dict:
    version = (
        f"Arista {LEAF_MODEL}\nHardware version: 11.02\nSerial number: {LEAF_SERIAL}\n"
        "Hardware MAC address: 001c.73aa.0001\nSystem MAC address: 001c.73aa.0001\n\n"
        "Software image version: 4.28.3M\nArchitecture: x86_64\nInternal build version: 4.28.3M-28837868.4283M\n\n"
        "Uptime: 3 weeks, 2 days, 4 hours and 5 minutes\nTotal memory: 8098984 kB\nFree memory: 5326580 kB\n"
    )
    inventory = (
        _defaults("arista_eos")["show inventory"]["output"]
        .replace("JPE13120702", LEAF_SERIAL)
        .replace("DCS-7150S-52-CL", LEAF_MODEL)
    )
    rows = [f"  {v:<4}  {m}    DYNAMIC     {p}        1    0:02:11 ago" for m, p, v, _ in LEAF_ENDPOINTS]
    rows += [f"  {1:<4}  001c.73bb.00{i:02d}    DYNAMIC     {LEAF_UPLINK}        1    0:00:05 ago" for i in range(2)]
    mac_table = (
        "          Mac Address Table\n------------------------------------------------------------------\n\n"
        "Vlan    Mac Address       Type        Ports      Moves   Last Move\n"
        "----    -----------       ----        -----      -----   ---------\n"
        + "\n".join(rows)
        + f"\nTotal Mac Addresses for this criterion: {len(rows)}\n"
    )
    arp = "Address         Age (sec)  Hardware Addr   Interface\n" + "".join(
        f"{ip:<15} 0:01:02   {mac}  Vlan{vlan}, Ethernet{port[2:]}\n" for mac, port, vlan, ip in LEAF_ENDPOINTS
    )
    lldp = (
        "Interface Ethernet49/1 detected 1 LLDP neighbors:\n\n"
        '  Neighbor 001c.73bb.0000/"Ethernet1", age 12 seconds\n'
        "  Discovered 1 day, 2:03:04 ago; Last changed 1 day, 2:03:04 ago\n"
        "  - Chassis ID type: MAC address (4)\n    Chassis ID     : 001c.73bb.0000\n"
        '  - Port ID type: Interface name (5)\n    Port ID     : "Ethernet1"\n'
        '  - Time To Live: 120 seconds\n  - System Name: "spine1.example.com"\n'
        '  - System Description: "Arista Networks EOS version 4.28.3M running on an Arista DCS-7280SR"\n'
        "  - System Capabilities : Bridge, Router\n    Enabled Capabilities: Bridge, Router\n\n"
    )
    return {
        "show version": _cmd(version),
        "show inventory": _cmd(inventory),
        "show mac address-table": _cmd(mac_table),
        "show ip arp": _cmd(arp),
        "show lldp neighbors detail": _cmd(lldp),
    }


def inventory(ports: dict[str, int]) -> dict:
    """FakeNOS inventory: sw1 (cisco_ios), leaf1 (arista_eos), and badpw whose password differs from the file's."""
    return {
        "default": {"username": USER, "password": PASSWORD},
        "hosts": {
            "sw1": {
                "port": ports["sw1"],
                "platform": "cisco_ios",
                "nos": {"plugin": "cisco_ios", "configuration": {"commands": sw1_commands()}},
            },
            "leaf1": {
                "port": ports["leaf1"],
                "platform": "arista_eos",
                "nos": {"plugin": "arista_eos", "configuration": {"commands": leaf_commands()}},
            },
            "badpw": {"port": ports["badpw"], "platform": "cisco_ios", "password": "not-what-the-file-says"},
        },
    }


def device_file(
    path: Path, ports: dict[str, int], names=("sw1", "leaf1"), ssh: dict | None = None, extra: list[dict] | None = None
) -> Path:
    """A device file as a user writes it: the password by reference to an environment variable."""
    types = {"sw1": "cisco_ios", "leaf1": "arista_eos", "badpw": "cisco_ios"}
    entries = [{"name": n, "host": "127.0.0.1", "port": ports[n], "device_type": types[n]} for n in names]
    if ssh:
        entries.append(
            {
                "name": "pc1",
                "host": "127.0.0.1",
                "port": ssh["port"],
                "device_type": "linux",
                "username": ssh["user"],
                "key_file": ssh["key_file"],
                "dmi_path": ssh["dmi"],
            }
        )
    entries += extra or []
    defaults = {"username": USER, "password_env": "NOS_PASSWORD", "secret_env": "NOS_PASSWORD", "timeout": 10}
    path.write_text(yaml.safe_dump({"defaults": defaults, "devices": entries}))
    return path
