"""nmap discovery with the real nmap: loopback services, a namespace segment, and end to end into triage."""

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import ROOT, free_port
from tests.scanners.conftest import SEGMENT_HOSTS, SEGMENT_PORTS, delivery, run_cli
from tests.scanners.netns import forward_into_netns
from tests.scanners.receiver import Receiver

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="nmap SYN scans and namespaces need root")
SUBNET = "10.213.0.0/24"


@pytest.fixture
def loopback_services():
    """Two HTTP servers on free loopback ports, and a third port nothing listens on."""
    ports = [free_port() for _ in range(3)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "http.server", str(p), "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports[:2]
    ]
    deadline = time.monotonic() + 10
    for p in ports[:2]:
        while subprocess.run(["ss", "-Htln", f"sport = :{p}"], capture_output=True, text=True).stdout.strip() == "":
            assert time.monotonic() < deadline, "http.server did not start"
            time.sleep(0.05)
    yield ports
    for proc in procs:
        proc.terminate()
        proc.wait(5)


@pytest.fixture
def ns_receiver(segment):
    """The test receiver, listening on 127.0.0.1 inside the scanner namespace."""
    rx = Receiver("ns-token", netns=segment.scanner.name).start()
    yield rx
    rx.stop()


def test_loopback_services_are_found_with_their_ports(loopback_services, receiver, token_file, tmp_path):
    open1, open2, closed = loopback_services
    done = run_cli(
        "nmap",
        "--targets",
        "127.0.0.1",
        "-n",
        "--ports",
        f"{open1},{open2},{closed}",
        *delivery(receiver, token_file, tmp_path),
        "--scanner",
        "lo-test",
    )
    assert done.returncode == 0, done.stderr
    (batch,) = receiver.batches.values()
    assert (batch["source"], batch["scanner"], batch["complete"], batch["scope"]) == (
        "nmap",
        "lo-test",
        True,
        ["127.0.0.1"],
    )
    (obs,) = batch["observations"]
    assert obs["ip_addresses"] == ["127.0.0.1"] and "macs" not in obs
    assert sorted(p["port"] for p in obs["open_ports"]) == sorted([open1, open2])
    assert not list((tmp_path / "spool").glob("*.json"))  # acknowledged batches leave the spool


def test_segment_sweep_in_chunks_finds_hosts_macs_vendors_and_ports(segment, ns_receiver, token_file, tmp_path):
    done = run_cli(
        "nmap",
        "--targets",
        SUBNET,
        "--allow",
        SUBNET,
        "-n",
        "--ports",
        SEGMENT_PORTS,
        "--chunk-size",
        "128",
        "--parallel",
        "2",
        "--batch-size",
        "2",
        *delivery(ns_receiver, token_file, tmp_path),
        netns=segment.scanner.name,
    )
    assert done.returncode == 0, done.stderr
    assert "256 addresses in 2 chunk(s), 2 in parallel" in done.stderr
    assert "nmap: 256/256 hosts (100%), 4 live" in done.stderr  # not a terminal: plain log lines
    batches = [ns_receiver.batches[k] for k in sorted(ns_receiver.batches)]
    assert [b["batch"] for b in batches] == [0, 1] and [b["complete"] for b in batches] == [False, True]
    assert len({b["scan_id"] for b in batches}) == 1
    by_ip = {o["ip_addresses"][0]: o for o in ns_receiver.observations()}
    assert set(by_ip) == {"10.213.0.1"} | {h[0] for h in SEGMENT_HOSTS}
    for ip, mac, vendor, ports in SEGMENT_HOSTS:
        assert by_ip[ip]["macs"] == [mac] and by_ip[ip]["vendor"] == vendor
        assert [p["port"] for p in by_ip[ip]["open_ports"]] == ports


def test_service_versions_and_os_guess(segment, ns_receiver, token_file, tmp_path):
    """The one slow test (-sV -O), on one host."""
    ip, mac, _, _ = SEGMENT_HOSTS[0]
    done = run_cli(
        "nmap",
        "--targets",
        ip,
        "--allow",
        SUBNET,
        "-n",
        "--ports",
        "80",
        "--service-versions",
        "--os",
        *delivery(ns_receiver, token_file, tmp_path),
        netns=segment.scanner.name,
    )
    assert done.returncode == 0, done.stderr
    (obs,) = ns_receiver.observations()
    assert obs["macs"] == [mac]
    assert obs["open_ports"] == [
        {
            "port": 80,
            "protocol": "tcp",
            "service": "http",
            "product": "SimpleHTTPServer",
            "version": obs["open_ports"][0]["version"],
        }
    ]
    assert obs["os_name"].startswith("Linux") and obs["os_accuracy"] >= 80 and obs["kind"] == "computer"


def test_progress_is_one_rewritten_line_on_a_terminal(receiver, token_file, tmp_path):
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scanners",
            "nmap",
            "--targets",
            "127.0.0.0/29",
            "-n",
            "--ports",
            "none",
            "--chunk-size",
            "2",
            "--parallel",
            "2",
            *delivery(receiver, token_file, tmp_path),
        ],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
    )
    os.close(secondary)
    out = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        try:
            chunk = os.read(primary, 4096) if ready else b""
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        out += chunk
    os.close(primary)
    assert proc.wait(30) == 0
    text = out.decode()
    assert len(re.findall(r"\r(?!\n)", text)) == 4 and "\x1b[K" in text  # one \r per chunk rewrites the line
    assert "nmap: 8/8 hosts (100%), 8 live, ETA 0:00:00" in text


def test_cli_in_the_scanner_namespace_pushes_to_the_real_server_and_hosts_land_in_triage(
    segment, live_server, tokens, token_file, tmp_path
):
    # The server listens on 127.0.0.1 of the root namespace; a forwarder makes it 127.0.0.1:PORT inside the
    # scanner's namespace, so the scanner runs exactly as deployed: scan, then push over HTTP.
    port, stop = forward_into_netns(segment.scanner.name, int(live_server.rsplit(":", 1)[1]))
    try:
        done = run_cli(
            "nmap",
            "--targets",
            SUBNET,
            "--allow",
            SUBNET,
            "-n",
            "--ports",
            SEGMENT_PORTS,
            "--server",
            f"http://127.0.0.1:{port}",
            "--token-file",
            token_file(tokens["scanner"]),
            "--spool",
            str(tmp_path / "spool"),
            "--scanner",
            "nmap-e2e",
            netns=segment.scanner.name,
        )
    finally:
        stop()
    assert done.returncode == 0, done.stderr
    assert "created=4" in done.stderr
    items = requests.get(
        f"{live_server}/api/v1/triage",
        params={"limit": 100, "source": "nmap"},
        headers={"Authorization": f"Bearer {tokens['it']}"},
        timeout=10,
    ).json()["items"]
    by_mac = {m: i for i in items for m in i["identifiers"].get("macs", [])}
    for ip, mac, vendor, ports in SEGMENT_HOSTS:
        item = by_mac[mac]
        assert item["scanner"] == "nmap-e2e" and item["observation"]["vendor"] == vendor
        assert item["observation"]["ip_addresses"] == [ip]
        assert [p["port"] for p in item["observation"]["open_ports"]] == ports
