"""Hostile payloads: XML entity tricks, DTDs, things that are not XML or JSON at all."""

import time

import pytest

from inventory.formats.agent_json import load_glpi_document, parse_glpi_json
from inventory.formats.agent_xml import parse_agent_xml
from inventory.formats.payload import PayloadError

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<REQUEST><DEVICEID>&xxe;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"""
XXE_HTTP = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>
<REQUEST><DEVICEID>&xxe;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<REQUEST><DEVICEID>d</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"""
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]><REQUEST><DEVICEID>&lol9;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"
)
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST SYSTEM "http://127.0.0.1:9/request.dtd">
<REQUEST><DEVICEID>d</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"""
INTERNAL_DTD = b"""<!DOCTYPE REQUEST [<!ELEMENT REQUEST ANY>]>
<REQUEST><DEVICEID>d</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"""


@pytest.mark.parametrize(
    "xml",
    [XXE_FILE, XXE_HTTP, PARAMETER_ENTITY, BILLION_LAUGHS, EXTERNAL_DTD, INTERNAL_DTD],
    ids=["xxe-file", "xxe-http", "parameter-entity", "billion-laughs", "external-dtd", "internal-dtd"],
)
def test_dtds_and_entities_are_refused(xml):
    started = time.monotonic()
    with pytest.raises(PayloadError, match="DTD, entities or external references is refused") as caught:
        parse_agent_xml(xml)
    assert caught.value.status == 400
    assert "root:" not in str(caught.value)
    assert time.monotonic() - started < 1


def test_xinclude_is_not_expanded():
    xml = (
        b'<REQUEST xmlns:xi="http://www.w3.org/2001/XInclude"><DEVICEID>d</DEVICEID><QUERY>INVENTORY</QUERY>'
        b'<CONTENT><HARDWARE><NAME>h</NAME><xi:include href="/etc/passwd" parse="text"/></HARDWARE></CONTENT></REQUEST>'
    )
    obs = parse_agent_xml(xml).observation
    assert "root:" not in repr(obs)
    assert obs["hostname"] == "h"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"hello",
        b'{"deviceid": "x"}',
        b"<REQUEST><DEVICEID>d</DEVICEID>",  # truncated
        b"<REQUEST></request>",
        b"\x78\x9c\xcb\x48\xcd\xc9\xc9\x07\x00\x06\x2c\x02\x15",  # still compressed
        b'<?xml version="1.0" encoding="x-klingon"?><REQUEST/>',
        "<REQUEST/>",  # str, not bytes
        None,
    ],
)
def test_not_xml_is_400(body):
    with pytest.raises(PayloadError) as caught:
        parse_agent_xml(body)
    assert caught.value.status == 400


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"deviceid": 1' + b"0" * 10_000 + b"}", b"<REQUEST/>", b"\x00\x01"],
    ids=["deep-nesting", "huge-number", "xml", "binary"],
)
def test_hostile_json_is_400(body):
    # load_glpi_document is what the /agent/glpi endpoint reads a body with (contact or inventory).
    for parse in (parse_glpi_json, load_glpi_document):
        with pytest.raises(PayloadError) as caught:
            parse(body)
        assert caught.value.status == 400


def test_deeply_nested_xml_is_handled():
    xml = b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT>" + b"<A>" * 50_000 + b"</A>" * 50_000
    xml += b"</CONTENT></REQUEST>"
    assert parse_agent_xml(xml).observation == {"kind": "computer", "agent_id": "d"}
