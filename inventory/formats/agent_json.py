"""GLPI Agent JSON inventories (glpi-project/inventory_format) parsed into observations."""

import json
from collections.abc import Mapping
from typing import Any

from inventory.formats.agent_content import build_observation, text
from inventory.formats.payload import PayloadError

# GLPI itemtype -> asset kind of the contract.
_KINDS = {"computer": "computer", "phone": "phone", "networkequipment": "network_device", "printer": "peripheral"}
_SINGLE = ("bios", "hardware", "operatingsystem")


def parse_glpi_json(obj_or_bytes: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """The observation of one GLPI Agent inventory (`{"action": "inventory", "deviceid", "content": {...}}`).

    PayloadError (400) for anything that is not such an inventory (bad JSON, a `contact` request, no content).
    """
    document = load_glpi_document(obj_or_bytes)
    action = (text(document.get("action")) or "inventory").lower()
    query = (text(document.get("query")) or "INVENTORY").upper()
    if action != "inventory" or query != "INVENTORY":
        raise PayloadError(f"not an inventory: action {action[:50]!r}, query {query[:50]!r}")
    content = document.get("content")
    if not isinstance(content, Mapping):
        raise PayloadError("inventory without a content object")
    itemtype = (text(document.get("itemtype")) or "Computer").lower()
    if itemtype not in _KINDS:
        raise PayloadError(f"unsupported itemtype {itemtype[:50]!r}")
    return build_observation(_sections(content), text(document.get("deviceid")), _KINDS[itemtype])


def load_glpi_document(obj_or_bytes: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    """The JSON object of a GLPI request (`contact` or `inventory`); PayloadError (400) for anything else."""
    document: Any = obj_or_bytes
    if isinstance(obj_or_bytes, bytes | bytearray | str):
        try:
            document = json.loads(obj_or_bytes)
        except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, absurd nesting or numbers
            raise PayloadError(f"not valid JSON: {type(exc).__name__}") from None
    if not isinstance(document, Mapping):
        raise PayloadError("a GLPI inventory is a JSON object")
    return document


def _sections(content: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    """Every section as a list of rows (objects only), whatever shape a buggy agent sent."""
    sections: dict[str, list[Mapping[str, Any]]] = {}
    for name, value in content.items():
        rows = value if isinstance(value, list) else [value]
        rows = [row for row in rows if isinstance(row, Mapping)]
        if name in _SINGLE:
            rows = rows[:1]
        sections[str(name).lower()] = rows
    return sections
