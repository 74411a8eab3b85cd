"""A tiny HTTP server that speaks the OCS/FusionInventory agent protocol and records what agents send."""

import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEND_REPLY = b"<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>24</PROLOG_FREQ></REPLY>"
ACK_REPLY = b"<REPLY><RESPONSE>no_update</RESPONSE></REPLY>"


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Capture:
    url: str
    requests: list[Request] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.capture.requests.append(Request(self.path, dict(self.headers.items()), body))
        try:
            plain = zlib.decompress(body)
        except zlib.error:
            plain = body
        # Agents send one PROLOG then the INVENTORY; SEND tells them to go on.
        reply = SEND_REPLY if b"<QUERY>PROLOG</QUERY>" in plain else ACK_REPLY
        payload = zlib.compress(reply)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-compress-zlib")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (signature of the base class)
        pass


class CaptureServer:
    """Context manager: `with CaptureServer() as cap: run agent at cap.url; cap.requests`."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.capture = Capture(f"http://127.0.0.1:{self._server.server_port}/ocsinventory")
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Capture:
        self._thread.start()
        return self._server.capture

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
