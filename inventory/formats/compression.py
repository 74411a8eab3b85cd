"""Bodies of inventory agents: zlib, gzip or plain, decompressed as a stream under a size cap."""

import zlib

from inventory.formats.payload import PayloadError

# Media types and Content-Encoding values seen from OCS, FusionInventory and GLPI agents.
_ZLIB = {"application/x-compress-zlib", "application/x-compress", "application/x-zlib", "deflate"}
_GZIP = {"application/x-compress-gzip", "application/gzip", "application/x-gzip", "gzip", "x-gzip"}
_PLAIN = {
    "",
    "identity",
    "application/xml",
    "text/xml",
    "application/json",
    "text/json",
    "text/plain",
    "application/octet-stream",
}
_ZLIB_WBITS = 15  # zlib header and Adler-32 trailer, as Compress::Zlib::compress writes
_GZIP_WBITS = 31  # gzip header and CRC-32 trailer
_CHUNK = 64 * 1024


def compress_zlib(data: bytes) -> bytes:
    """Compress a reply the way agents expect it (zlib, as for `application/x-compress-zlib`)."""
    return zlib.compress(data)


def decompress(body: bytes, content_type_or_encoding: str | None, max_bytes: int) -> bytes:
    """Return the plain payload of an agent's body, never holding more than `max_bytes` (+1) of output.

    Raises PayloadError: 413 past `max_bytes` (zip bombs included), 400 for a truncated or corrupt
    stream, 415 for a media type no agent sends.
    """
    kind = _kind(content_type_or_encoding)
    if kind != "plain" and _looks_plain(body):
        kind = "plain"  # some agents label a plain XML/JSON body as compressed; neither header can start so
    if kind == "plain":
        if len(body) > max_bytes:
            raise PayloadError(f"payload larger than {max_bytes} bytes", 413)
        return bytes(body)
    return _inflate(body, _ZLIB_WBITS if kind == "zlib" else _GZIP_WBITS, max_bytes, members=kind == "gzip")


def _kind(value: str | None) -> str:
    media = (value or "").split(";", 1)[0].strip().lower()
    if media in _ZLIB:
        return "zlib"
    if media in _GZIP:
        return "gzip"
    if media in _PLAIN:
        return "plain"
    raise PayloadError(f"unsupported content type or encoding: {media[:100]!r}", 415)


def _looks_plain(body: bytes) -> bool:
    # A zlib header byte has 8 in its low nibble and gzip starts with 0x1f: '<' (0x3c) and '{' (0x7b) are neither.
    head = body[:64].lstrip(b" \t\r\n\xef\xbb\xbf")
    return head[:1] in (b"<", b"{")


def _inflate(body: bytes, wbits: int, max_bytes: int, *, members: bool) -> bytes:
    out = bytearray()
    data = bytes(body)
    while True:
        engine = zlib.decompressobj(wbits)
        pending = data
        try:
            while not engine.eof:
                # Ask for at most one byte past the cap: a bomb is refused before it is expanded.
                chunk = engine.decompress(pending, min(_CHUNK, max_bytes + 1 - len(out)))
                out += chunk
                if len(out) > max_bytes:
                    raise PayloadError(f"decompressed payload larger than {max_bytes} bytes", 413)
                pending = engine.unconsumed_tail
                if not chunk and not pending:
                    break  # input exhausted before the end of the stream
        except zlib.error as exc:
            raise PayloadError(f"corrupt compressed body: {exc}", 400) from None
        if not engine.eof:
            raise PayloadError("truncated compressed body", 400)
        data = engine.unused_data
        if not data:
            return bytes(out)
        if not members:
            raise PayloadError("trailing bytes after the compressed body", 400)
