"""What to ask each platform: a key per fact, with alternative commands tried in order."""

from __future__ import annotations

import re
import shlex

Commands = dict[str, tuple[str, ...]]

_DMI_FIELDS = "sys_vendor product_name product_serial product_uuid product_version chassis_serial board_serial"
DMI_PATH = "/sys/class/dmi/id"


def dmi_command(path: str = DMI_PATH) -> str:
    """Print key=value per DMI file; product_serial and product_uuid are root-only, so try sudo without a password."""
    where = shlex.quote(path.rstrip("/") or "/")
    return (
        f"for f in {_DMI_FIELDS}; do printf '%s=' \"$f\"; "
        f"(cat {where}/$f 2>/dev/null || sudo -n cat {where}/$f 2>/dev/null || echo) | head -n 1; "
        "done"
    )


DMI = dmi_command()

COMMANDS: dict[str, Commands] = {
    "cisco_ios": {
        "version": ("show version",),
        "inventory": ("show inventory",),
        "interfaces": ("show interfaces",),
        "mac_table": ("show mac address-table", "show mac-address-table"),
        "arp": ("show ip arp",),
        "cdp": ("show cdp neighbors detail",),
        "lldp": ("show lldp neighbors detail",),
        "switchport": ("show interfaces switchport",),
    },
    "cisco_nxos": {
        "version": ("show version",),
        "inventory": ("show inventory",),
        "interfaces": ("show interface",),
        "mac_table": ("show mac address-table",),
        "arp": ("show ip arp",),
        "cdp": ("show cdp neighbors detail",),
        "lldp": ("show lldp neighbors detail",),
        "switchport": ("show interface switchport", "show interfaces switchport"),
    },
    "arista_eos": {
        "version": ("show version",),
        "inventory": ("show inventory",),
        "interfaces": ("show interfaces",),
        "mac_table": ("show mac address-table",),
        "arp": ("show ip arp",),
        "lldp": ("show lldp neighbors detail",),
    },
    "juniper_junos": {
        "version": ("show version",),
        "inventory": ("show chassis hardware",),
        "interfaces": ("show interfaces",),
        "mac_table": ("show ethernet-switching table", "show bridge mac-table"),
        "vlans": ("show vlans",),
        "arp": ("show arp no-resolve",),
        # The detail form states each neighbour's capabilities (a phone is not an uplink); the summary does not.
        "lldp": ("show lldp neighbors detail", "show lldp neighbors"),
    },
    "linux": {
        "hostname": ("hostname", "uname -n"),
        "os_release": ("cat /etc/os-release",),
        "dmi": (DMI,),
        "link": ("ip -j link show",),
        "addr": ("ip -j addr show",),
        # UTC and the C locale so the times parse the same on every host.
        "who": ("LC_ALL=C TZ=UTC0 who",),
        "last": ("LC_ALL=C TZ=UTC0 last -w -F -n 50",),
        "uptime": ("cat /proc/uptime",),
    },
}

# Facts a device is useless without: if none of their commands works, the device counts as failed.
REQUIRED = {"linux": ("hostname",)}
DEFAULT_REQUIRED = ("version",)

# Devices answer an unknown command with text, not an error status; these are the usual phrasings.
UNSUPPORTED = re.compile(
    r"^\s*(%\s*(Invalid|Incomplete|Ambiguous|Unrecognized|Unknown)|Unknown command|unknown command|"
    r"syntax error|error: (syntax|unknown command)|Invalid input|.*: command not found|"
    r"% (CDP|LLDP) is not enabled|% LLDP is not enabled)",
    re.MULTILINE,
)


def commands_for(platform: str, dmi_path: str | None = None) -> Commands:
    """The commands for a platform; Linux hosts may keep their DMI files elsewhere (containers, tests)."""
    if platform == "linux" and dmi_path and dmi_path != DMI_PATH:
        return {**COMMANDS[platform], "dmi": (dmi_command(dmi_path),)}
    return COMMANDS[platform]


def is_unsupported(output: str) -> bool:
    """True when the first lines of an answer are the device saying it did not understand."""
    head = "\n".join(output.strip().splitlines()[:3])
    return bool(UNSUPPORTED.search(head))
