"""FakeNOS devices for the SSH collector tests: each switch with its own serial, MAC table, ARP and neighbours."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

USER, PASSWORD = "netops", "s3cret-pw"
NAMES = ("sw1", "leaf1", "nx1", "ex1", "badpw", "oldsw")  # the FakeNOS devices of inventory()
PROMPTS = ["{base_prompt}>", "{base_prompt}#"]
# Junos ends its prompt with a space ("netops@ex1> "), and netmiko waits for it when it logs out: FakeNOS' own
# juniper_junos has none, so ex1 runs on a copy of it with the real prompt (plugins()).
JUNOS_PLATFORM, JUNOS_PROMPT = "juniper_junos_ex", "{base_prompt}> "

SW1_SERIAL, SW1_MODEL = "FOC2001X0AB", "WS-C2960X-48FPD-L"
# oldsw: an IOS image that knows none of the identity commands (`show version` gets the parser's complaint).
INVALID_INPUT = "          ^\n% Invalid input detected at '^' marker.\n"
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

NX_SERIAL, NX_MODEL, NX_VERSION = "FDO23110ABC", "N9K-C93180YC-EX", "10.3(4a)"
NX_ENDPOINTS = [
    ("0050.56aa.0a05", "Eth1/5", 110, "10.110.0.15"),  # VMware host
    ("b883.03aa.0b06", "Eth1/6", 110, "10.110.0.16"),  # Linux server running lldpd: an LLDP Station, not a bridge
    ("d4f5.efaa.0c07", "Eth1/7", 120, None),  # iLO in a VLAN the switch does not route
]
NX_CDP_UPLINK = "Eth1/49"  # CDP neighbour core1 (Router Switch)
NX_LLDP_UPLINK = "Eth1/50"  # LLDP neighbour spine2 (B, R)
NX_TRUNK = "Eth1/48"  # trunk per `show interface switchport` to a blade chassis, no neighbour, 3 MACs

EX_SERIAL, EX_MODEL, EX_VERSION = "PE3716200123", "EX4300-48P", "21.4R3-S4.9"
# Junos names its VLANs; the MAC table shows the name, `show vlans` the tag.
EX_VLANS = {"default": 1, "employees": 10, "voice": 20, "printers": 30}
EX_ENDPOINTS = [
    ("00:14:22:bb:00:21", "ge-0/0/3", 10, "10.40.10.21"),  # Dell desktop
    ("3c:22:fb:bb:00:22", "ge-0/0/4", 10, "10.40.10.22"),  # Mac
    ("00:1b:a9:bb:00:23", "ge-0/0/9", 30, "10.40.30.23"),  # printer
    ("b8:27:eb:bb:00:24", "ge-0/0/10", 1, None),  # Raspberry Pi on the default VLAN, nothing routes it
    ("64:16:7f:bb:00:25", "ge-0/0/12", 20, "10.40.20.25"),  # IP phone (LLDP: Bridge Telephone) in the voice VLAN
    ("00:14:22:bb:00:26", "ge-0/0/12", 10, "10.40.10.26"),  # the PC behind the phone, in the data VLAN
]
EX_LLDP_UPLINK = "xe-0/2/0"  # LLDP neighbour core1 (Bridge Router)
EX_PHONE_PORT = "ge-0/0/12"  # LLDP neighbour: a phone (Bridge Telephone), an access port
EX_HUB = "ge-0/0/20"  # an unmanaged switch under a desk: no neighbour, 6 MACs


@functools.cache
def _defaults(platform: str) -> dict:
    import fakenos

    path = Path(fakenos.__file__).parent / "plugins" / "nos" / "platforms_yaml" / f"{platform}.yaml"
    return yaml.safe_load(path.read_text())["commands"]


def _cmd(output: str, prompt: str | list[str] = PROMPTS) -> dict:
    return {"output": output, "prompt": prompt, "help": "test output"}


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


def oldsw_commands() -> dict:
    """sw1's commands, but `show version` (the fact a device is useless without) is not understood."""
    return {**sw1_commands(), "show version": _cmd(INVALID_INPUT)}


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


def _nx_interface(name: str, mac: str, state: str, extra: str = "") -> str:
    return (
        f"{name} is {state}\nadmin state is up, Dedicated Interface\n"
        f"  Hardware: 100/1000/10000/25000 Ethernet, address: {mac} (bia {mac})\n{extra}"
        "  MTU 9216 bytes, BW 10000000 Kbit, DLY 10 usec\n  reliability 255/255, txload 1/255, rxload 1/255\n"
        "  Encapsulation ARPA, medium is broadcast\n  full-duplex, 10 Gb/s, media type is 10G\n"
        "  Beacon is turned off\n  Auto-Negotiation is turned on\n"
        "  Input flow-control is off, output flow-control is off\n  Auto-mdix is turned off\n"
        "  Rate mode is dedicated\n  Switchport monitor is off\n  EtherType is 0x8100\n"
        "  EEE (efficient-ethernet) : n/a\n  Last link flapped 3week(s) 2day(s)\n"
        '  Last clearing of "show interface" counters never\n  1 interface resets\n'
        "  Load-Interval #1: 30 seconds\n    30 seconds input rate 6872 bits/sec, 9 packets/sec\n"
        "    30 seconds output rate 6048 bits/sec, 10 packets/sec\n"
        "    input rate 6.87 Kbps, 9 pps; output rate 6.05 Kbps, 10 pps\n"
        "  RX\n    45601286 unicast packets  2491720 multicast packets  2 broadcast packets\n"
        "    48034291 input packets  3680032221 bytes\n    27282 jumbo packets  0 storm suppression packets\n"
        "    0 runts  0 giants  0 CRC/FCS  0 no buffer\n"
        "    0 input error  0 short frame  0 overrun   0 underrun  0 ignored\n"
        "    0 watchdog  0 bad etype drop  0 bad proto drop  0 if down drop\n"
        "    0 input with dribble  0 input discard\n    0 Rx pause\n"
        "  TX\n    45998742 unicast packets  1916622 multicast packets  2 broadcast packets\n"
        "    47856816 output packets  3813447142 bytes\n    37125 jumbo packets\n"
        "    0 output error  0 collision  0 deferred  0 late collision\n"
        "    0 lost carrier  0 no carrier  0 babble  0 output discard\n    0 Tx pause\n\n"
    )


def nx1_commands() -> dict:
    """A Nexus 93180YC-EX on NX-OS 10.3: servers on access ports, uplinks found by CDP, LLDP and trunk mode."""
    version = (
        "Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\n"
        "Documents: http://www.cisco.com/en/US/products/ps9372/tsd_products_support_series_home.html\n"
        "Copyright (c) 2002-2023, Cisco Systems, Inc. All rights reserved.\n"
        "The copyrights to certain works contained herein are owned by\n"
        "other third parties and are used and distributed under license.\n\n"
        "Software\n  BIOS: version 07.69\n"
        f"  NXOS: version {NX_VERSION} [Maintenance Release]\n  Host NXOS: version {NX_VERSION}\n"
        "  BIOS compile time:  04/08/2021\n  NXOS image file is: bootflash:///nxos64-cs.10.3.4a.M.bin\n"
        "  NXOS compile time:  12/15/2023 18:00:00 [12/16/2023 03:28:17]\n\n\n"
        "Hardware\n  cisco Nexus9000 C93180YC-EX chassis\n"
        "  Intel(R) Xeon(R) CPU  @ 1.80GHz with 24571980 kB of memory.\n"
        f"  Processor Board ID {NX_SERIAL}\n\n  Device name: nx1\n  bootflash:   53298520 kB\n"
        "Kernel uptime is 41 day(s), 3 hour(s), 22 minute(s), 9 second(s)\n\n"
        "Last reset at 112233 usecs after Mon Jan  8 08:11:02 2024\n"
        "  Reason: Reset Requested by CLI command reload\n  System version: 10.3(3)\n  Service: \n\n"
        "plugin\n  Core Plugin, Ethernet Plugin\n\nActive Package(s):\n\n"
    )
    inventory = (
        f'NAME: "Chassis",  DESCR: "Nexus9000 C93180YC-EX chassis"\n'
        f"PID: {NX_MODEL}     ,  VID: V03 ,  SN: {NX_SERIAL}\n\n"
        'NAME: "Slot 1",  DESCR: "48x10/25G + 6x40/100G Ethernet Module"\n'
        f"PID: {NX_MODEL}     ,  VID: V03 ,  SN: {NX_SERIAL}\n\n"
        'NAME: "Power Supply 1",  DESCR: "Nexus9000 C93180YC-EX chassis Power Supply"\n'
        "PID: NXA-PAC-650W-PE     ,  VID: V01 ,  SN: LIT23101AB1\n\n"
        'NAME: "Fan 1",  DESCR: "Nexus9000 C93180YC-EX chassis Fan Module"\n'
        "PID: NXA-FAN-30CFM-B     ,  VID: V01 ,  SN: N/A\n\n"
        "NAME: Ethernet1/49,  DESCR: CISCO-FINISAR\n"
        "PID: QSFP-100G-SR4-S     ,  VID: V03 ,  SN: FNS22110XYZ\n\n"
    )
    interfaces = (
        "mgmt0 is up\nadmin state is up,\n"
        "  Hardware: GigabitEthernet, address: 00de.fbaa.0000 (bia 00de.fbaa.0000)\n"
        "  Internet Address is 192.168.0.21/24\n  MTU 1500 bytes, BW 1000000 Kbit, DLY 10 usec\n"
        "  reliability 255/255, txload 1/255, rxload 1/255\n  Encapsulation ARPA, medium is broadcast\n"
        "  full-duplex, 1000 Mb/s\n  Auto-Negotiation is turned on\n  Auto-mdix is turned off\n"
        "  EtherType is 0x0000\n\n"
        "Vlan110 is up, line protocol is up, autostate enabled\n"
        "  Hardware is EtherSVI, address is  00de.fbaa.0001\n  Internet Address is 10.110.0.2/24\n"
        "  MTU 1500 bytes, BW 1000000 Kbit, DLY 10 usec\n\n"
        + _nx_interface("Ethernet1/5", "00de.fbaa.0105", "up", "  Description: esx-07 vmnic0\n")
        + _nx_interface("Ethernet1/49", "00de.fbaa.0149", "up", "  Description: core1 Eth1/1\n")
    )
    rows = [f"*  {v:<4}    {m}   dynamic  0         F      F    {p}" for m, p, v, _ in NX_ENDPOINTS]
    rows += [f"*  {1:<4}    5254.00bb.00{i:02d}   dynamic  0         F      F    {NX_CDP_UPLINK}" for i in range(4)]
    rows += [f"*  {110:<4}    5254.00cc.00{i:02d}   dynamic  0         F      F    {NX_LLDP_UPLINK}" for i in range(2)]
    rows += [f"*  {110:<4}    0025.b5aa.00{i:02d}   dynamic  0         F      F    {NX_TRUNK}" for i in range(3)]
    rows += [
        "G    -     00de.fbaa.0001   static   -         F      F    sup-eth1(R)",
        "G  110     00de.fbaa.0001   static   -         F      F    sup-eth1(R)",
    ]
    mac_table = (
        "Legend: \n"
        "        * - primary entry, G - Gateway MAC, (R) - Routed MAC, O - Overlay MAC\n"
        "        age - seconds since last seen,+ - primary entry using vPC Peer-Link,\n"
        "        (T) - True, (F) - False, C - ControlPlane MAC, ~ - vsan,\n"
        "        (NA)- Not Applicable\n"
        "   VLAN     MAC Address      Type      age     Secure NTFY Ports\n"
        "---------+-----------------+--------+---------+------+----+------------------\n" + "\n".join(rows) + "\n"
    )
    arp = (
        "\nFlags: * - Adjacencies learnt on non-active FHRP router\n"
        "       + - Adjacencies synced via CFSoE\n"
        "       # - Adjacencies Throttled for Glean\n"
        "       CP - Added via L2RIB, Control plane Adjacencies\n"
        "       PS - Added via L2RIB, Peer Sync\n"
        "       RO - Re-Originated Peer Sync Entry\n"
        "       D - Static Adjacencies attached to down interface\n\n"
        "IP ARP Table for context default\nTotal number of entries: 4\n"
        "Address         Age       MAC Address     Interface       Flags\n"
        + "".join(f"{ip:<15} 00:03:12  {mac}  Vlan{vlan:<11}\n" for mac, _, vlan, ip in NX_ENDPOINTS if ip)
        + "10.0.0.1        00:00:31  5254.00bb.0000  Ethernet1/49    \n"
        + "10.110.0.99     00:00:04  INCOMPLETE      Vlan110         \n"
    )
    cdp = (
        "----------------------------------------\nDevice ID:core1.example.com(FOX2231P0AB)\n"
        "System Name: core1.example.com\n\nInterface address(es):\n    IPv4 Address: 10.0.0.1\n"
        "Platform: N9K-C9336C-FX2, Capabilities: Router Switch IGMP Filtering Supports-STP-Dispute\n"
        "Interface: Ethernet1/49, Port ID (outgoing port): Ethernet1/1\nHoldtime: 163 sec\n\n"
        "Version:\nCisco Nexus Operating System (NX-OS) Software, Version 10.3(4a)\n\n"
        "Advertisement Version: 2\n\nNative VLAN: 1\nDuplex: full\n\nMTU: 9216\n"
        "Physical Location: dc1 row A rack 1\nMgmt address(es):\n    IPv4 Address: 192.168.0.1\n\n"
    )
    lldp = (
        "Capability codes:\n  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device\n"
        "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other\n"
        "Device ID            Local Intf      Hold-time  Capability  Port ID  \n\n"
        "Chassis id: 5254.00cc.0000\nPort id: Ethernet1/1\nLocal Port id: Eth1/50\n"
        "Port Description: Ethernet1/1\nSystem Name: spine2.example.com\n"
        "System Description: Cisco Nexus Operating System (NX-OS) Software 10.3(4a)\n"
        "TAC support: http://www.cisco.com/tac\nCopyright (c) 2002-2023, Cisco Systems, Inc. All rights reserved.\n"
        "Time remaining: 93 seconds\nSystem Capabilities: B, R\nEnabled Capabilities: B, R\n"
        "Management Address: 192.168.0.2\nManagement Address IPV6: not advertised\nVlan ID: 1\n\n\n"
        "Chassis id: b883.03aa.0b06\nPort id: b883.03aa.0b06\nLocal Port id: Eth1/6\n"
        "Port Description: eno1\nSystem Name: db-07.example.com\n"
        "System Description: Debian GNU/Linux 12 (bookworm) Linux 6.1.0-18-amd64 #1 SMP x86_64\n"
        "Time remaining: 101 seconds\nSystem Capabilities: B, W, R, S\nEnabled Capabilities: S\n"
        "Management Address: 10.110.0.16\nManagement Address IPV6: not advertised\nVlan ID: not advertised\n\n\n"
        "Total entries displayed: 2\n"
    )
    switchport = "".join(
        f"Name: {port}\n  Switchport: Enabled\n  Switchport Monitor: Not enabled \n"
        "  Switchport Isolated : Not enabled\n  Switchport Block Multicast: Not enabled\n"
        f"  Switchport Block Unicast: Not enabled\n  Operational Mode: {mode}\n"
        f"  Access Mode VLAN: {vlan} ({name})\n  Trunking Native Mode VLAN: 1 (default)\n"
        "  Trunking VLANs Allowed: 1-4094\n  Voice VLAN: none\n  Extended Trust State : not trusted [COS = 0]\n"
        "  Administrative private-vlan primary host-association: none\n"
        "  Administrative private-vlan trunk encapsulation: dot1q\n  Operational private-vlan: none\n"
        for port, mode, vlan, name in (
            ("Ethernet1/5", "access", 110, "servers"),
            ("Ethernet1/6", "access", 110, "servers"),
            ("Ethernet1/7", "access", 120, "oob"),
            ("Ethernet1/48", "trunk", 1, "default"),
            ("Ethernet1/49", "trunk", 1, "default"),
            ("Ethernet1/50", "trunk", 1, "default"),
        )
    )
    return {
        "show version": _cmd(version),
        "show inventory": _cmd(inventory),
        "show interface": _cmd(interfaces),
        "show mac address-table": _cmd(mac_table),
        "show ip arp": _cmd(arp),
        "show cdp neighbors detail": _cmd(cdp),
        "show lldp neighbors detail": _cmd(lldp),
        "show interface switchport": _cmd(switchport),
    }


def _ex_interface(name: str, mac: str, description: str, speed: str, media: str, unit: str) -> str:
    """One port of `show interfaces` as an EX4300 on Junos 21.4 prints it, with its eth-switch unit 0."""
    return (
        f"Physical interface: {name}, Enabled, Physical link is Up\n"
        f"  Interface index: 649, SNMP ifIndex: 515\n  Description: {description}\n"
        f"  Link-level type: Ethernet, MTU: 1514, LAN-PHY mode, Speed: {speed}, Duplex: Full-Duplex, BPDU Error: None,\n"
        "  Loop Detect PDU Error: None, Ethernet-Switching Error: None, MAC-REWRITE Error: None, Loopback: Disabled,\n"
        "  Source filtering: Disabled, Flow control: Enabled, Auto-negotiation: Enabled, Remote fault: Online, "
        f"Media type: {media}\n"
        "  Device flags   : Present Running\n  Interface flags: SNMP-Traps Internal: 0x4000\n"
        "  Link flags     : None\n  CoS queues     : 12 supported, 12 maximum usable queues\n"
        f"  Current address: {mac}, Hardware address: {mac}\n"
        "  Last flapped   : 2024-03-02 07:15:11 UTC (3w2d 04:12 ago)\n"
        "  Input rate     : 2312 bps (3 pps)\n  Output rate    : 8120 bps (9 pps)\n"
        "  Active alarms  : None\n  Active defects : None\n"
        "  PCS statistics                      Seconds\n    Bit errors                             0\n"
        "    Errored blocks                         0\n  Interface transmit statistics: Disabled\n\n"
        f"  Logical interface {name}.0 (Index 555) (SNMP ifIndex 531)\n"
        "    Flags: Up SNMP-Traps 0x0 Encapsulation: Ethernet-Bridge\n"
        "    Input packets : 2519771\n    Output packets: 14093817\n"
        f"    Protocol eth-switch, MTU: 1514\n      Flags: {unit}\n\n"
    )


def _ex_lldp_neighbor(
    local: str,
    index: int,
    chassis: str,
    port: tuple[str, str, str],
    name: str,
    description: str,
    capabilities: str,
    management: tuple[str, str, str],
    extra: str = "",
) -> str:
    """One neighbour of `show lldp neighbors detail` as an EX on Junos 21.4 prints it; port is (type, ID,
    description), management (address, interface subtype, OID)."""
    port_type, port_id, port_description = port
    address, subtype, oid = management
    return (
        "LLDP Neighbor Information:\nLocal Information:\n"
        f"Index: {index} Time to live: 120 Time mark: Sat Mar 23 11:27:04 2024 Age: 14 secs \n"
        f"Local Interface    : {local}\nParent Interface   : -\nLocal Port ID      : {500 + index}\n"
        "Ageout Count       : 0\n\n"
        f"Neighbour Information:\nChassis type       : Mac address\nChassis ID         : {chassis}\n"
        f"Port type          : {port_type}\nPort ID            : {port_id}\n"
        f"Port description   : {port_description}\nSystem name        : {name}\n\n"
        f"System Description : {description}\n\n"
        f"System capabilities \n        Supported  : {capabilities} \n        Enabled    : {capabilities} \n\n"
        f"Management Info \n        Type              : IPv4\n        Address           : {address}\n"
        f"        Port ID           : {index}\n        Subtype           : 1\n"
        f"        Interface Subtype : {subtype}\n        OID               : {oid}\n\n" + extra
    )


def ex1_commands() -> dict:
    """An EX4300-48P on Junos 21.4 (ELS): desktops, a printer and a phone with a PC behind it on access ports, an
    LLDP uplink and a desk hub."""
    version = (
        "fpc0:\n--------------------------------------------------------------------------\n"
        f"Hostname: ex1\nModel: ex4300-48p\nJunos: {EX_VERSION}\n"
        "JUNOS OS Kernel 64-bit  [20230428.0b4d0a6_builder_stable_11]\n"
        "JUNOS OS libs [20230428.0b4d0a6_builder_stable_11]\n"
        "JUNOS OS runtime [20230428.0b4d0a6_builder_stable_11]\n"
        "JUNOS OS time zone information [20230428.0b4d0a6_builder_stable_11]\n"
        "JUNOS network stack and utilities [20230509.043606_builder_junos_214_r3_s4]\n"
        "JUNOS libs [20230509.043606_builder_junos_214_r3_s4]\n"
        "JUNOS runtime [20230509.043606_builder_junos_214_r3_s4]\n"
        "JUNOS Crypto Software Suite [20230509.043606_builder_junos_214_r3_s4]\n"
        "JUNOS Online Documentation [20230509.043606_builder_junos_214_r3_s4]\n"
        "JUNOS EX 4300 Software Suite [20230509.043606_builder_junos_214_r3_s4]\n"
        "JUNOS Web Management Platform Package [20230509.043606_builder_junos_214_r3_s4]\n\n"
        "{master:0}\n"
    )
    hardware = (
        "Hardware inventory:\n"
        "Item             Version  Part number  Serial number     Description\n"
        f"Chassis                                {EX_SERIAL}      {EX_MODEL}\n"
        "Pseudo CB 0     \n"
        "Routing Engine 0          BUILTIN      BUILTIN           EX4300-48P\n"
        f"FPC 0            REV 11   650-044936   {EX_SERIAL}      EX4300-48P\n"
        "  CPU                     BUILTIN      BUILTIN           FPC CPU\n"
        "  PIC 0                   BUILTIN      BUILTIN           48x10/100/1000 Base-T\n"
        "  PIC 1                   BUILTIN      BUILTIN           4x40GE QSFP+\n"
        "  PIC 2          REV 05   711-054687   RX3716190456      4x1G/10G SFP/SFP+\n"
        "    Xcvr 0       REV 01   740-021308   AMB1P6W           SFP+-10G-SR\n"
        "    Xcvr 1       REV 01   740-021308   AMB1P7K           SFP+-10G-SR\n"
        "Power Supply 0   REV 04   740-046873   1EDB6220123       JPSU-1100-AC-AFO-A\n"
        "Fan Tray 0                                               Fan Module, Airflow Out (AFO)\n"
        "Fan Tray 1                                               Fan Module, Airflow Out (AFO)\n\n"
        "{master:0}\n"
    )
    irb = (
        "  Logical interface irb.10 (Index 560) (SNMP ifIndex 540)\n"
        "    Flags: Up SNMP-Traps 0x4004000 Encapsulation: ENET2\n"
        "    Bandwidth: 1Gbps\n    Routing Instance: default-switch Bridging Domain: employees\n"
        "    Input packets : 1203311\n    Output packets: 987120\n"
        "    Protocol inet, MTU: 1500\n"
        "    Max nh cache: 75000, New hold nh limit: 75000, Curr nh cnt: 3, Curr new hold cnt: 0, NH drop cnt: 0\n"
        "      Flags: Sendbcast-pkt-to-re\n"
        "      Addresses, Flags: Is-Preferred Is-Primary\n"
        "        Destination: 10.40.10/24, Local: 10.40.10.2, Broadcast: 10.40.10.255\n\n"
    )
    interfaces = (
        _ex_interface("ge-0/0/3", "f4:b5:2f:aa:00:03", "desk 2.14", "1000mbps", "Copper", "Is-Primary")
        + _ex_interface(EX_LLDP_UPLINK, "f4:b5:2f:aa:02:00", "core1 xe-0/0/12", "10Gbps", "Fiber", "Trunk-Mode")
        + "Physical interface: irb, Enabled, Physical link is Up\n"
        "  Interface index: 640, SNMP ifIndex: 505\n"
        "  Type: Ethernet, Link-level type: Ethernet, MTU: 1514\n"
        "  Device flags   : Present Running\n  Interface flags: SNMP-Traps\n"
        "  Link type      : Full-Duplex\n  Link flags     : None\n"
        "  Current address: f4:b5:2f:aa:00:01, Hardware address: f4:b5:2f:aa:00:01\n"
        "  Last flapped   : Never\n  Input packets : 0\n  Output packets: 0\n\n" + irb + "{master:0}\n"
    )
    names = {tag: name for name, tag in EX_VLANS.items()}
    rows = [f"   {names[v]:<20}{m}   D             -   {p}.0" for m, p, v, _ in EX_ENDPOINTS]
    rows += [f"   {'employees':<20}f4:b5:2f:cc:00:{i:02x}   D             -   {EX_LLDP_UPLINK}.0" for i in range(3)]
    rows += [f"   {'employees':<20}00:14:22:dd:00:{i:02x}   D             -   {EX_HUB}.0" for i in range(6)]
    mac_table = (
        "\nMAC flags (S - static MAC, D - dynamic MAC, L - locally learned, P - Persistent static\n"
        "           SE - statistics enabled, NM - non configured MAC, R - remote PE MAC, O - ovsdb MAC)\n\n\n"
        f"Ethernet switching table : {len(rows)} entries, {len(rows)} learned\n"
        "Routing instance : default-switch\n"
        "   Vlan                MAC                 MAC         Age    Logical                NH        RTR\n"
        "   name                address             flags              interface              Index     ID\n"
        + "\n".join(f"{r:<82}0         0" for r in rows)
        + "\n\n{master:0}\n"
    )
    vlans = (
        "Routing instance        VLAN name             Tag          Interfaces\n"
        + "".join(
            f"default-switch          {name:<22}{tag:<13}\n"
            + "".join(
                f"                                                           {p}.0*\n"
                for _, p, v, _ in EX_ENDPOINTS
                if v == tag
            )
            for name, tag in EX_VLANS.items()
        )
        + "\n{master:0}\n"
    )
    arp = (
        "MAC Address       Address         Interface                Flags\n"
        + "".join(f"{mac} {ip:<15} irb.{vlan:<20} none\n" for mac, _, vlan, ip in EX_ENDPOINTS if ip)
        + "f4:b5:2f:cc:00:00 10.40.0.1       xe-0/2/0.0               none\n"
        + f"Total entries: {sum(1 for *_, ip in EX_ENDPOINTS if ip) + 1}\n\n{{master:0}}\n"
    )
    lldp = (
        "Local Interface    Parent Interface    Chassis Id          Port info          System Name\n"
        f"{EX_LLDP_UPLINK:<19}-                   f4:b5:2f:cc:00:00   xe-0/0/12          core1.example.com\n"
        f"{EX_PHONE_PORT:<19}-                   64:16:7f:bb:00:25   64:16:7f:bb:00:25  vvx450-2-15\n\n"
        "{master:0}\n"
    )
    lldp_detail = (
        _ex_lldp_neighbor(
            EX_LLDP_UPLINK,
            7,
            "f4:b5:2f:cc:00:00",
            ("Locally assigned", "526", "xe-0/0/12"),
            "core1.example.com",
            "Juniper Networks, Inc. ex4650-48y-8c Ethernet Switch, kernel JUNOS 21.4R3-S4.9, "
            "Build date: 2023-05-09 04:36:06 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.",
            "Bridge Router",
            ("10.40.0.1", "ifIndex(2)", "1.3.6.1.2.1.31.1.1.1.1.526"),
        )
        + _ex_lldp_neighbor(
            EX_PHONE_PORT,
            12,
            "64:16:7f:bb:00:25",
            ("Mac address", "64:16:7f:bb:00:25", "Port 1"),
            "vvx450-2-15",
            "Polycom;VVX-VVX_450;3111-48450-001,7;SIP/6.4.3.5018/15-Mar-22 14:12;UP/6.4.3.5018/15-Mar-22 14:12;",
            "Bridge Telephone",
            ("10.40.20.25", "ifIndex(2)", "1.3.6.1.4.1.13885.1"),
            "Media endpoint class: Class III Device\n\n",
        )
        + "\n{master:0}\n"
    )
    outputs = {
        "show version": version,
        "show chassis hardware": hardware,
        "show interfaces": interfaces,
        "show ethernet-switching table": mac_table,
        "show vlans": vlans,
        "show arp no-resolve": arp,
        "show lldp neighbors": lldp,
        "show lldp neighbors detail": lldp_detail,
    }
    return {command: _cmd(output, JUNOS_PROMPT) for command, output in outputs.items()}


def plugins() -> list[dict]:
    """NOS definitions for FakeNOS(plugins=...): its juniper_junos with the real prompt and netmiko's set-up answered
    as Junos answers it (the platform file leaves them empty, and netmiko waits for the words)."""
    commands = {command: {**data, "prompt": JUNOS_PROMPT} for command, data in _defaults("juniper_junos").items()}
    commands["set cli complete-on-space off"] = _cmd("Disabling complete-on-space", JUNOS_PROMPT)
    commands["set cli screen-length 0"] = _cmd("Screen length set to 0", JUNOS_PROMPT)
    return [{"name": JUNOS_PLATFORM, "initial_prompt": JUNOS_PROMPT, "commands": commands}]


def inventory(ports: dict[str, int]) -> dict:
    """FakeNOS inventory: sw1 (cisco_ios), leaf1 (arista_eos), nx1 (cisco_nxos), ex1 (juniper_junos), badpw
    whose password differs from the file's, and oldsw (cisco_ios) that answers `show version` with % Invalid input."""
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
            "nx1": {
                "port": ports["nx1"],
                "platform": "cisco_nxos",
                "nos": {"plugin": "cisco_nxos", "configuration": {"commands": nx1_commands()}},
            },
            "ex1": {
                "port": ports["ex1"],
                "platform": "juniper_junos",
                "shell": {"plugin": "CMDShell", "configuration": {"base_prompt": f"{USER}@ex1"}},
                "nos": {"plugin": JUNOS_PLATFORM, "configuration": {"commands": ex1_commands()}},
            },
            "badpw": {"port": ports["badpw"], "platform": "cisco_ios", "password": "not-what-the-file-says"},
            "oldsw": {
                "port": ports["oldsw"],
                "platform": "cisco_ios",
                "nos": {"plugin": "cisco_ios", "configuration": {"commands": oldsw_commands()}},
            },
        },
    }


def device_file(
    path: Path, ports: dict[str, int], names=("sw1", "leaf1"), ssh: dict | None = None, extra: list[dict] | None = None
) -> Path:
    """A device file as a user writes it: the password by reference to an environment variable."""
    types = {
        "sw1": "cisco_ios",
        "leaf1": "arista_eos",
        "nx1": "cisco_nxos",
        "ex1": "juniper_junos",
        "badpw": "cisco_ios",
        "oldsw": "cisco_ios",
    }
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
