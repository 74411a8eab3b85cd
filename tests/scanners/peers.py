"""Peers shared by the tests, the fixture capture script and the benchmark: OpenSSH with its own utmp/wtmp."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import free_port

DMI = {
    "sys_vendor": "Dell Inc.",
    "product_name": "OptiPlex 7090",
    "product_serial": "7XQ2JK3",
    "product_uuid": "4C4C4544-0058-5110-8032-B7C04F4A4B33",
    "chassis_serial": "7XQ2JK3",
}


@contextlib.contextmanager
def openssh(d: Path) -> Iterator[dict]:
    """sshd on a free loopback port, key auth for root, in a private mount namespace whose /run and /var/log are
    tmpfs: its utmp and wtmp (what `who` and `last` read) belong to this test alone. DMI files sit in d/dmi, and
    the device file points the collector there (dmi_path), as this VM has no /sys/class/dmi."""
    for key in ("host_key", "user_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / key)], check=True)
    # sshd reads authorized_keys as the user logging in (root, and nobody for `last`): a folder all may read.
    public = Path(tempfile.mkdtemp(prefix="inv-sshd-"))
    os.chmod(public, 0o755)
    (public / "authorized_keys").write_text((d / "user_key.pub").read_text())
    os.chmod(public / "authorized_keys", 0o644)
    dmi = d / "dmi"
    dmi.mkdir()
    for name, value in DMI.items():
        (dmi / name).write_text(value + "\n")
    port = free_port()
    (d / "sshd_config").write_text(
        textwrap.dedent(f"""\
        Port {port}
        ListenAddress 127.0.0.1
        HostKey {d}/host_key
        PidFile {d}/sshd.pid
        AuthorizedKeysFile {public}/authorized_keys
        StrictModes no
        UsePAM no
        PasswordAuthentication no
        PermitRootLogin prohibit-password
        """)
    )
    script = (
        "set -e; mount -t tmpfs tmpfs /run; mkdir -p /run/sshd; touch /run/utmp; "
        "mount -t tmpfs tmpfs /var/log; touch /var/log/wtmp /var/log/lastlog; "
        f"exec /usr/sbin/sshd -D -e -f {d}/sshd_config"
    )
    with open(d / "sshd.log", "w") as log:
        proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 10
        while not subprocess.run(["ss", "-Htln", f"sport = :{port}"], capture_output=True, text=True).stdout.strip():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not start: {(d / 'sshd.log').read_text()}")
            time.sleep(0.05)
        yield {"port": port, "key_file": str(d / "user_key"), "dmi": str(dmi), "user": "root"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
        shutil.rmtree(public, ignore_errors=True)


def ssh_session(info: dict, user: str) -> None:
    """A real login and logout over SSH (with a terminal, so sshd records it in wtmp for `last`)."""
    subprocess.run(
        [
            "ssh",
            "-i",
            info["key_file"],
            "-p",
            str(info["port"]),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-tt",
            f"{user}@127.0.0.1",
            "true",
        ],
        capture_output=True,
        timeout=20,
    )
