"""WSGI middleware: gzip/deflate request bodies, decompressed with a size cap (zip bombs get 413)."""

import io
import json
from http import HTTPStatus

from .formats.compression import decompress
from .formats.payload import PayloadError


class DecompressRequest:
    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def __call__(self, environ, start_response):
        encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        if encoding in ("", "identity"):
            return self.app(environ, start_response)
        if encoding not in ("gzip", "x-gzip", "deflate"):
            return _error(start_response, 415, f"Content-Encoding '{encoding[:40]}' is not supported (gzip or deflate).")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > self.max_bytes:
            return _error(start_response, 413, "The body is larger than allowed.")
        stream = environ["wsgi.input"]
        body = stream.read(length) if length else stream.read(self.max_bytes + 1)
        try:
            data = decompress(body, encoding, self.max_bytes)
        except PayloadError as e:
            return _error(start_response, e.status, f"The {encoding} body was refused: {e.message}.")
        environ = {**environ, "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))}
        environ.pop("HTTP_CONTENT_ENCODING", None)
        return self.app(environ, start_response)


def _error(start_response, code: int, message: str):
    status = HTTPStatus(code).phrase
    body = json.dumps({"code": code, "status": status, "message": message}).encode()
    start_response(f"{code} {status}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
