"""Scanner figures: nmap sweep of the test segment, translate() cost per host, SSH collector time per device.

Run as root: .venv/bin/python bench/scanners.py [--hosts 3] [--iterations 2000] [--rounds 3]
The segment is the tests' one (namespaces joined by a bridge, 10.213.0.0/24, nothing else touched); the
devices are FakeNOS switches (cisco_ios, arista_eos, cisco_nxos, juniper_junos) and a real OpenSSH on loopback (linux).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fakenos import FakeNOS  # noqa: E402

from scanners.nmap_discovery.translate import translate  # noqa: E402
from scanners.ssh_collector.collect import collect_device  # noqa: E402
from scanners.ssh_collector.devices import load_devices  # noqa: E402
from scanners.ssh_collector.records import DeviceOutput  # noqa: E402
from scanners.ssh_collector.translate import translate as translate_ssh  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.scanners import nos  # noqa: E402
from tests.scanners.conftest import FIXTURES, SEGMENT_PORTS  # noqa: E402
from tests.scanners.netns import Segment  # noqa: E402
from tests.scanners.peers import openssh  # noqa: E402

VENDORS = ["00:14:22", "3c:22:fb", "00:1b:21", "00:50:56", "b8:27:eb"]


def sweep(hosts: int, rounds: int) -> None:
    spec = [(f"10.213.0.{10 + i}", f"{VENDORS[i % 5]}:aa:00:{i:02x}", "", [80]) for i in range(hosts)]
    seg = Segment(spec).up()
    try:
        for label, args in (("-sn (host sweep)", ["-sn"]), (f"-p {SEGMENT_PORTS}", ["-p", SEGMENT_PORTS])):
            times, live = [], 0
            for _ in range(rounds):
                started = time.perf_counter()
                xml = subprocess.run(
                    [*seg.exec_prefix(), "nmap", "-n", "-T4", *args, "-oX", "-", "10.213.0.0/24"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                times.append(time.perf_counter() - started)
                live = len(translate(xml))
            print(
                f"nmap sweep 10.213.0.0/24 {label:<28} {statistics.median(times):6.2f} s median of {rounds}"
                f" ({live} live of 256; {hosts} hosts + scanner)"
            )
    finally:
        seg.down()


def translate_cost(iterations: int) -> None:
    for name in ("nmap_segment_ports.xml", "nmap_segment_sV_O.xml"):
        xml = (FIXTURES / name).read_text()
        hosts = len(translate(xml))
        started = time.perf_counter()
        for _ in range(iterations):
            translate(xml)
        per_host = (time.perf_counter() - started) / iterations / hosts
        print(f"translate {name:<28} {per_host * 1e6:8.1f} us per host ({hosts} hosts, {iterations} runs)")
    for name in ("cisco_ios_sw1", "arista_eos_leaf1", "cisco_nxos_nx1", "juniper_junos_ex1", "linux_pc1"):
        out = DeviceOutput.from_dict(json.loads((FIXTURES / f"ssh_{name}.json").read_text()))
        runs = max(1, iterations // 20)
        started = time.perf_counter()
        for _ in range(runs):
            result = translate_ssh(out, "2026-11-25T09:00:00Z")
        per_device = (time.perf_counter() - started) / runs
        print(
            f"translate ssh {name:<24} {per_device * 1e3:8.2f} ms per device "
            f"({len(result.observations)} observations, {runs} runs)"
        )


def collector(rounds: int) -> None:
    os.environ["NOS_PASSWORD"] = nos.PASSWORD
    ports = {name: free_port() for name in nos.NAMES}  # inventory() serves every FakeNOS device of the tests
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeNOS(inventory=nos.inventory(ports), plugins=nos.plugins()),
        openssh(Path(tmp)) as ssh,
    ):
        names = ("sw1", "leaf1", "nx1", "ex1")  # cisco_ios, arista_eos, cisco_nxos, juniper_junos (badpw is refused)
        devices = load_devices(nos.device_file(Path(tmp) / "devices.yaml", ports, names=names, ssh=ssh))
        for device in devices:
            times = []
            for _ in range(rounds):
                out = collect_device(device, 120)
                assert out.failure is None, out.failure
                times.append(out.elapsed)
            print(
                f"collector {device.name:<6} ({device.device_type:<13}) {statistics.median(times):6.2f} s per device,"
                f" {len(out.outputs)} commands, median of {rounds}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: the segment needs network namespaces")
    sweep(args.hosts, args.rounds)
    translate_cost(args.iterations)
    collector(args.rounds)


if __name__ == "__main__":
    main()
