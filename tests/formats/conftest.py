"""Shared helpers of the agent-format tests: fixture files, a trusted reader for expected values, required tools."""

import shutil
import xml.etree.ElementTree as StdET  # fixtures are our own recordings: the stdlib parser is fine to read them
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACT_KEYS = set(
    "kind serial_number manufacturer model macs hostname ip_addresses imei device_uuid agent_id os_name os_version"
    " os_accuracy vendor open_ports switch switch_port vlan seen_at interfaces hardware software users uptime".split()
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def raw_rows(xml: bytes, section: str) -> list[dict[str, str]]:
    """Rows of one CONTENT section as the agent wrote them (tag -> text), to compare parser output with."""
    content = StdET.fromstring(xml).find("CONTENT")
    assert content is not None
    return [{child.tag: (child.text or "").strip() for child in row} for row in content.findall(section)]


def raw_text(xml: bytes, path: str) -> str:
    value = StdET.fromstring(xml).findtext(path)
    assert value is not None, f"{path} missing from the fixture"
    return value.strip()


def require_tool(name: str) -> str:
    """Path of a command the test needs; fail (never skip) with how to get it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: run scripts/install-system-packages.sh as root (see system-packages.txt)"
        )
    return path
