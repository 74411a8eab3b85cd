"""Real peers for the scanner tests: a namespace segment, FakeNOS switches, OpenSSH on loopback, a receiver."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port
from tests.scanners import nos
from tests.scanners.netns import Segment
from tests.scanners.peers import openssh
from tests.scanners.receiver import Receiver

FIXTURES = Path(__file__).parent / "fixtures"
# (ip, mac, nmap's vendor name for the MAC prefix, TCP ports served)
SEGMENT_HOSTS = [
    ("10.213.0.11", "00:14:22:aa:00:11", "Dell", [80]),
    ("10.213.0.12", "3c:22:fb:aa:00:12", "Apple", [8080]),
    ("10.213.0.13", "b8:27:eb:aa:00:13", "Raspberry Pi Foundation", [8000, 9100]),
]
SEGMENT_PORTS = "22,80,8000,8080,9100"


def delivery(receiver, token_file, tmp_path) -> list[str]:
    """The CLI options that send to the test receiver with its token, spooling under tmp_path."""
    return ["--server", receiver.url, "--token-file", token_file(receiver.token), "--spool", str(tmp_path / "spool")]


def run_cli(
    *args: str, netns: str | None = None, timeout: float = 120, env: dict | None = None, **kw
) -> subprocess.CompletedProcess:
    """`python -m scanners ...` as a user runs it (optionally inside a network namespace)."""
    prefix = ["ip", "netns", "exec", netns] if netns else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "scanners", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kw,
    )


@pytest.fixture
def token_file(tmp_path):
    def write(token: str) -> str:
        path = tmp_path / "token"
        path.write_text(token + "\n")
        return str(path)

    return write


@pytest.fixture
def receiver():
    rx = Receiver("rx-token").start()
    yield rx
    rx.stop()


@pytest.fixture(scope="module")
def segment():
    """Scanner namespace (10.213.0.1) and three hosts with chosen vendor MACs serving TCP ports."""
    if os.geteuid() != 0 or not shutil.which("nmap"):
        pytest.skip("needs root (network namespaces) and nmap")
    seg = Segment(SEGMENT_HOSTS)
    try:
        seg.up()
        yield seg
    finally:
        seg.down()


@pytest.fixture(scope="module")
def fakenos_devices():
    """sw1 (cisco_ios), leaf1 (arista_eos), nx1 (cisco_nxos), ex1 (juniper_junos) and badpw on loopback ports;
    yields {name: port}."""
    from fakenos import FakeNOS

    ports = {name: free_port() for name in nos.NAMES}
    with FakeNOS(inventory=nos.inventory(ports), plugins=nos.plugins()):
        yield ports


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """OpenSSH on a loopback port with key auth; see peers.openssh()."""
    if os.geteuid() != 0 or not Path("/usr/sbin/sshd").exists():
        pytest.skip("needs root and openssh-server")
    with openssh(tmp_path_factory.mktemp("sshd")) as info:
        yield info
