"""A throwaway Ethernet segment: namespaces joined by veth to a bridge in its own namespace (see TESTING.md).

Only addresses in 10.213.0.0/24 inside namespaces this module creates; the root namespace is never touched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

SUBNET = "10.213.0.0/24"


@dataclass
class NsHost:
    name: str  # namespace name
    ip: str
    mac: str
    vendor: str
    ports: list[int] = field(default_factory=list)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Segment:
    """Scanner namespace plus hosts with chosen MACs, each serving TCP ports."""

    def __init__(self, hosts: list[tuple[str, str, str, list[int]]], scanner_ip: str = "10.213.0.1") -> None:
        tag = f"{os.getpid() % 100000}{secrets.token_hex(2)}"
        self.prefix = f"ts{tag}"
        self.bridge_ns = f"{self.prefix}-sw"
        self.scanner = NsHost(f"{self.prefix}-scan", scanner_ip, "00:1b:21:13:00:01", "Intel Corporate")
        self.hosts = [
            NsHost(f"{self.prefix}-h{i}", ip, mac, vendor, ports) for i, (ip, mac, vendor, ports) in enumerate(hosts)
        ]
        self.namespaces: list[str] = []

    def up(self) -> Segment:
        _ip("netns", "add", self.bridge_ns)
        self.namespaces.append(self.bridge_ns)
        _ip("-n", self.bridge_ns, "link", "add", "br0", "type", "bridge")
        _ip("-n", self.bridge_ns, "link", "set", "br0", "up")
        for index, host in enumerate([self.scanner, *self.hosts]):
            self._add_host(index, host)
        for host in self.hosts:
            for port in host.ports:
                self._serve(host, port)
        self._wait_listening()
        return self

    def _add_host(self, index: int, host: NsHost) -> None:
        _ip("netns", "add", host.name)
        self.namespaces.append(host.name)
        veth = f"v{index}"
        _ip("link", "add", veth, "netns", self.bridge_ns, "type", "veth", "peer", "name", "eth0", "netns", host.name)
        _ip("-n", host.name, "link", "set", "eth0", "address", host.mac)
        _ip("-n", host.name, "addr", "add", f"{host.ip}/24", "dev", "eth0")
        _ip("-n", host.name, "link", "set", "lo", "up")
        _ip("-n", host.name, "link", "set", "eth0", "up")
        _ip("-n", self.bridge_ns, "link", "set", veth, "master", "br0")
        _ip("-n", self.bridge_ns, "link", "set", veth, "up")

    def _serve(self, host: NsHost, port: int) -> None:
        # python's http.server: nmap -sV names it, and it answers any TCP port we like.
        subprocess.Popen(
            ["ip", "netns", "exec", host.name, sys.executable, "-m", "http.server", str(port), "--bind", host.ip],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_listening(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        for host in self.hosts:
            for port in host.ports:
                while True:
                    out = subprocess.run(
                        ["ip", "netns", "exec", host.name, "ss", "-Htln", f"sport = :{port}"],
                        capture_output=True,
                        text=True,
                    ).stdout
                    if out.strip():
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"service {host.ip}:{port} did not start")
                    time.sleep(0.05)

    def exec_prefix(self, host: NsHost | None = None) -> list[str]:
        return ["ip", "netns", "exec", (host or self.scanner).name]

    def down(self) -> None:
        for ns in reversed(self.namespaces):
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        self.namespaces.clear()


def forward_into_netns(netns: str, target_port: int) -> tuple[int, Callable[[], None]]:
    """Make 127.0.0.1:target_port of the root namespace reachable as 127.0.0.1:PORT inside `netns`.

    The listening socket is created in the namespace; accepting and connecting happen in this process's
    threads, which live in the root namespace. Returns (PORT, stop).
    """
    from tests.scanners.receiver import bind_in_netns

    listener = bind_in_netns(netns)
    stopping = threading.Event()

    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def serve() -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", target_port), timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()

    def stop() -> None:
        stopping.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()

    return listener.getsockname()[1], stop
