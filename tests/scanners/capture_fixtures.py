"""Re-record the translate() fixtures from real runs: `sudo .venv/bin/python -m tests.scanners.capture_fixtures`.

nmap XML from the namespace segment, raw CLI answers of the FakeNOS switches and of OpenSSH (linux), as the
collector saw them. Review the diff before committing: the tests pin exact values from these files.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from fakenos import FakeNOS

from scanners.ssh_collector.collect import collect_device
from scanners.ssh_collector.devices import load_devices
from tests.conftest import free_port
from tests.scanners import nos
from tests.scanners.conftest import FIXTURES, SEGMENT_HOSTS, SEGMENT_PORTS
from tests.scanners.netns import Segment
from tests.scanners.peers import openssh, ssh_session


def capture_nmap() -> None:
    seg = Segment(SEGMENT_HOSTS).up()
    try:
        for name, extra in (("nmap_segment_ports.xml", []), ("nmap_segment_sV_O.xml", ["-sV", "-O"])):
            xml = subprocess.run(
                [*seg.exec_prefix(), "nmap", "-n", "-T4", "-p", SEGMENT_PORTS, *extra, "-oX", "-", "10.213.0.0/24"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            (FIXTURES / name).write_text(xml)
    finally:
        seg.down()
    # Reverse DNS as nmap does it (no -n): loopback's PTR answer, "localhost", from this machine's resolver.
    xml = subprocess.run(["nmap", "-sn", "-oX", "-", "127.0.0.1"], capture_output=True, text=True, check=True).stdout
    (FIXTURES / "nmap_loopback_ptr.xml").write_text(xml)


def capture_ssh() -> None:
    os.environ["NOS_PASSWORD"] = nos.PASSWORD
    ports = {name: free_port() for name in nos.NAMES}
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeNOS(inventory=nos.inventory(ports), plugins=nos.plugins()),
        openssh(Path(tmp)) as ssh,
    ):
        ssh_session(ssh, "nobody")  # a past session for `last` (nologin ends it at once)
        for device in load_devices(
            nos.device_file(Path(tmp) / "devices.yaml", ports, names=("sw1", "leaf1", "nx1", "ex1"), ssh=ssh)
        ):
            out = collect_device(device, 60)
            assert out.failure is None, out.failure
            data = out.to_dict()
            data["port"] = 22  # the loopback port of the run means nothing later
            (FIXTURES / f"ssh_{device.device_type}_{device.name}.json").write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    capture_nmap()
    capture_ssh()
