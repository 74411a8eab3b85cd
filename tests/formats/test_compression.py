"""decompress: zlib, gzip and plain bodies under a cap, the way agents send them."""

import gzip
import tracemalloc
import zlib

import pytest

from inventory.formats.compression import compress_zlib, decompress
from inventory.formats.payload import PayloadError

XML = b'<?xml version="1.0"?><REQUEST><DEVICEID>d</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>'
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (zlib.compress(XML), "application/x-compress-zlib"),  # FusionInventory
        (zlib.compress(XML), "application/x-compress"),  # OCS
        (zlib.compress(XML), "Application/X-Compress-Zlib; charset=UTF-8"),
        (zlib.compress(XML), "deflate"),
        (gzip.compress(XML), "application/x-compress-gzip"),  # GLPI Agent
        (gzip.compress(XML), "gzip"),
        (gzip.compress(XML[:40]) + gzip.compress(XML[40:]), "application/gzip"),  # multi-member gzip
        (XML, "application/xml"),
        (XML, "text/xml; charset=utf-8"),
        (XML, ""),
        (XML, None),
        (XML, "application/x-compress-zlib"),  # plain body under a compressed label: still read
        (b"\n  " + XML, "application/x-compress"),
    ],
)
def test_bodies_agents_send(body, content_type):
    assert decompress(body, content_type, MB).lstrip() == XML


def test_compress_zlib_round_trips():
    assert decompress(compress_zlib(XML * 100), "application/x-compress-zlib", MB) == XML * 100


def test_cap_is_inclusive():
    body = zlib.compress(b"a" * 1000)
    assert len(decompress(body, "application/x-compress-zlib", 1000)) == 1000
    with pytest.raises(PayloadError) as caught:
        decompress(body, "application/x-compress-zlib", 999)
    assert caught.value.status == 413
    with pytest.raises(PayloadError) as caught:
        decompress(b"<" + b"a" * 1000, "application/xml", 1000)
    assert caught.value.status == 413


def _bomb(wbits: int, size: int) -> bytes:
    """`size` zero bytes compressed, built in chunks so that the test itself stays small."""
    engine = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = b"\0" * MB
    return b"".join(engine.compress(zeros) for _ in range(size // MB)) + engine.flush()


@pytest.mark.parametrize(("wbits", "kind"), [(15, "application/x-compress-zlib"), (31, "gzip")], ids=["zlib", "gzip"])
def test_zip_bomb_is_refused_without_expanding_it(wbits, kind):
    bomb = _bomb(wbits, 200 * MB)
    assert len(bomb) < MB  # ~200 KB on the wire
    tracemalloc.start()
    try:
        with pytest.raises(PayloadError) as caught:
            decompress(bomb, kind, 2 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.status == 413
    assert peak < 12 * MB  # streaming: never near the 200 MB the bomb would expand to


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (zlib.compress(XML)[:-6], "application/x-compress-zlib"),  # truncated
        (zlib.compress(XML)[:2], "application/x-compress"),
        (b"", "application/x-compress-zlib"),
        (zlib.compress(XML)[:-1] + b"\x00", "application/x-compress-zlib"),  # bad Adler-32
        (zlib.compress(XML) + b"junk", "application/x-compress-zlib"),  # trailing bytes
        (gzip.compress(XML)[:-3], "gzip"),
        (b"\x78\x9c\xff\xff\xff\xff", "application/x-compress-zlib"),  # corrupt deflate data
        (b"PK\x03\x04 not zlib", "application/x-compress-zlib"),
    ],
)
def test_truncated_or_corrupt_streams_are_400(body, content_type):
    with pytest.raises(PayloadError) as caught:
        decompress(body, content_type, MB)
    assert caught.value.status == 400


def test_unknown_media_type_is_415():
    with pytest.raises(PayloadError) as caught:
        decompress(zlib.compress(XML), "application/x-bzip2", MB)
    assert caught.value.status == 415
