"""A tiny observations endpoint on a loopback port: records batches by (scanner, scan_id, batch), can misbehave."""

from __future__ import annotations

import ctypes
import gzip
import json
import os
import socket
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CLONE_NEWNET = 0x40000000


def bind_in_netns(netns: str | None, port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1, created inside `netns` when given.

    setns() moves only the calling thread, so a throwaway thread enters the namespace, binds, and ends;
    the socket keeps living in that namespace while this process serves it from the root namespace.
    """
    box: dict[str, Any] = {}

    def create() -> None:
        try:
            if netns:
                libc = ctypes.CDLL("libc.so.6", use_errno=True)
                fd = os.open(f"/run/netns/{netns}", os.O_RDONLY)
                try:
                    if libc.setns(fd, CLONE_NEWNET) != 0:
                        raise OSError(ctypes.get_errno(), f"setns into {netns} failed")
                finally:
                    os.close(fd)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen(64)
            box["sock"] = sock
        except OSError as exc:
            box["error"] = exc

    thread = threading.Thread(target=create)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["sock"]


class Receiver:
    """Records every batch once (later copies get the first answer, like the real server)."""

    def __init__(self, token: str, netns: str | None = None) -> None:
        self.token = token
        self.netns = netns
        self.port = 0
        self.batches: dict[tuple[str, str, int], dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []  # every POST: key, status, headers
        self.script: deque[tuple[int, dict[str, str]]] = deque()  # answers to give before accepting
        self.reject_when: Any = None  # callable(batch) -> status code to refuse with, or None
        self.drop_after_commit = 0  # record the next N batches, then close without answering
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def observations(self) -> list[dict[str, Any]]:
        """All observations received, in (scan_id, batch) order."""
        return [o for key in sorted(self.batches) for o in self.batches[key]["observations"]]

    def start(self) -> Receiver:
        sock = bind_in_netns(self.netns, self.port)
        self.port = sock.getsockname()[1]
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self), bind_and_activate=False)
        server.socket.close()
        server.socket = sock
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread:
            self._thread.join(5)
            self._thread = None


def _handler(rx: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != "/api/v1/observations":
                return self._answer(404, {"code": 404, "message": "no such endpoint"})
            if self.headers.get("Authorization") != f"Bearer {rx.token}":
                return self._answer(401, {"code": 401, "message": "bad token"})
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            batch = json.loads(body)
            key = (batch["scanner"], batch["scan_id"], batch["batch"])
            with rx.lock:
                scripted = rx.script.popleft() if rx.script else None
                entry = {"key": key, "headers": dict(self.headers), "status": None}
                rx.requests.append(entry)
            if scripted:
                entry["status"] = scripted[0]
                return self._answer(scripted[0], {"code": scripted[0], "message": "scripted"}, scripted[1])
            refuse = rx.reject_when(batch) if rx.reject_when else None
            if refuse:
                entry["status"] = refuse
                return self._answer(refuse, {"code": refuse, "message": "Unprocessable", "errors": {"x": ["bad"]}})
            with rx.lock:
                rx.batches.setdefault(key, batch)
                drop = rx.drop_after_commit > 0
                if drop:
                    rx.drop_after_commit -= 1
            if drop:
                entry["status"] = "dropped"
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            entry["status"] = 200
            n = len(batch["observations"])
            return self._answer(200, {"matched": 0, "created": n, "updated": 0, "conflicts": 0, "decisions": []})

        def _answer(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
