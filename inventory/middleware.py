"""WSGI middleware: gzip/deflate request bodies, decompressed with a size cap (zip bombs get 413)."""

import io
import json
import zlib

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class DecompressRequest:
    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def __call__(self, environ, start_response):
        encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        if encoding in ("", "identity"):
            return self.app(environ, start_response)
        if encoding not in _WBITS:
            return _error(start_response, 415, "Unsupported Media Type",
                          f"Content-Encoding '{encoding[:40]}' is not supported (gzip or deflate).")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > self.max_bytes:
            return _error(start_response, 413, "Request Entity Too Large", "The body is larger than allowed.")
        stream = environ["wsgi.input"]
        body = stream.read(length) if length else stream.read(self.max_bytes + 1)
        try:
            d = zlib.decompressobj(_WBITS[encoding])
            data = d.decompress(body, self.max_bytes + 1)
            if len(data) > self.max_bytes or d.unconsumed_tail:
                return _error(start_response, 413, "Request Entity Too Large",
                              f"The body decompresses to more than {self.max_bytes} bytes.")
            if not d.eof:
                raise zlib.error("truncated stream")
        except zlib.error as e:
            return _error(start_response, 400, "Bad Request", f"The {encoding} body is corrupt or truncated ({e}).")
        environ = {**environ, "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))}
        environ.pop("HTTP_CONTENT_ENCODING", None)
        return self.app(environ, start_response)


def _error(start_response, code: int, status: str, message: str):
    body = json.dumps({"code": code, "status": status, "message": message}).encode()
    start_response(f"{code} {status}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
