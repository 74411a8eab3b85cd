"""OCS Inventory and FusionInventory XML requests (PROLOG, INVENTORY) parsed safely into observations."""

from dataclasses import dataclass, field
from typing import Any, Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from inventory.formats.agent_content import build_observation, text
from inventory.formats.payload import PayloadError

_QUERIES = ("PROLOG", "INVENTORY")
_XML_DECLARATION = b"<?xml"


@dataclass(frozen=True)
class AgentMessage:
    """One agent request: a PROLOG (asks whether to send) or an INVENTORY (carries one observation)."""

    query: Literal["PROLOG", "INVENTORY"]
    deviceid: str
    observation: dict[str, Any] | None = field(default=None)


def prolog_reply(prolog_freq_hours: int = 24) -> bytes:
    """The plain XML answer to a PROLOG that tells the agent to send its inventory (compress it for the agent)."""
    return f"<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>{int(prolog_freq_hours)}</PROLOG_FREQ></REPLY>".encode()


def parse_agent_xml(xml_bytes: bytes) -> AgentMessage:
    """Parse a decompressed OCS/FusionInventory request; PayloadError (400) for anything else.

    DTDs, entity declarations and external references are refused outright (XXE, billion laughs).
    """
    root = _parse(xml_bytes)
    if root.tag != "REQUEST":
        raise PayloadError(f"expected a <REQUEST> document, got <{root.tag[:50]}>")
    query = (text(root.findtext("QUERY")) or "").upper()
    if query not in _QUERIES:
        raise PayloadError(f"unsupported QUERY {query[:50]!r}: expected PROLOG or INVENTORY")
    deviceid = text(root.findtext("DEVICEID"))
    if deviceid is None:
        raise PayloadError("missing DEVICEID")
    if query == "PROLOG":
        return AgentMessage("PROLOG", deviceid)
    content = root.find("CONTENT")
    if content is None:
        raise PayloadError("INVENTORY without CONTENT")
    return AgentMessage("INVENTORY", deviceid, build_observation(_sections(content), deviceid))


def _parse(xml_bytes: bytes) -> Element:
    if not isinstance(xml_bytes, bytes | bytearray | memoryview):
        raise PayloadError("XML payload must be bytes")
    data = bytes(xml_bytes)
    try:
        return _fromstring(data)
    except ParseError as exc:
        repaired = _as_utf8(data)
        if repaired is None:
            raise PayloadError(f"not well-formed XML: {exc}") from None
    try:
        return _fromstring(repaired)
    except ParseError as exc:
        raise PayloadError(f"not well-formed XML: {exc}") from None


def _fromstring(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PayloadError(
            f"XML with a DTD, entities or external references is refused ({type(exc).__name__})"
        ) from None
    except (ValueError, LookupError, RecursionError) as exc:  # e.g. an unknown encoding named in the declaration
        raise PayloadError(f"unreadable XML: {type(exc).__name__}") from None


def _as_utf8(data: bytes) -> bytes | None:
    """Old Windows agents declare UTF-8 but send Windows-1252 names: retry those once, decoded leniently."""
    try:
        data.decode("utf-8")
        return None  # valid UTF-8: the document really is malformed
    except UnicodeDecodeError:
        pass
    body = data
    if body.lstrip().startswith(_XML_DECLARATION):
        end = body.find(b"?>")
        if end < 0:
            return None
        body = body[end + 2 :]  # the declaration may name an encoding that is now wrong
    return body.decode("cp1252", errors="replace").encode("utf-8")


def _sections(content: Element) -> dict[str, list[dict[str, str]]]:
    """CONTENT as section -> rows, keys lower-cased like the GLPI JSON format, leaf text only."""
    sections: dict[str, list[dict[str, str]]] = {}
    for section in content:
        if not isinstance(section.tag, str):
            continue
        row = {
            child.tag.lower(): child.text or "" for child in section if isinstance(child.tag, str) and len(child) == 0
        }
        sections.setdefault(section.tag.lower(), []).append(row)
    return sections
