"""The nmap command's YAML config file (same settings as the flags) and --every."""

import subprocess
import sys
import time

import yaml

from tests.conftest import ROOT
from tests.scanners.conftest import run_cli


def _config(tmp_path, receiver, token_file, **settings):
    path = tmp_path / "nmap.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "targets": ["127.0.0.1"],
                "ports": "none",
                "dns": False,
                "server": receiver.url,
                "token-file": token_file(receiver.token),
                "spool": str(tmp_path / "spool"),
                "scanner": "from-config",
                **settings,
            }
        )
    )
    return str(path)


def test_config_file_settings_with_flags_on_top_and_every_repeats(receiver, token_file, tmp_path):
    config = _config(tmp_path, receiver, token_file, every="1s")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scanners", "nmap", "--config", config, "--scanner", "from-flag"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while len({k[1] for k in receiver.batches}) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "expected a second run"
            time.sleep(0.05)
    finally:
        proc.terminate()
        stderr = proc.communicate(timeout=10)[1]
    runs = sorted(receiver.batches.values(), key=lambda b: b["started_at"])
    assert {b["scanner"] for b in runs} == {"from-flag"}  # the flag wins over the file
    assert all(b["complete"] and b["observations"][0]["ip_addresses"] == ["127.0.0.1"] for b in runs[:2])
    assert "next run in" in stderr


def test_config_file_is_checked_like_the_flags(receiver, token_file, tmp_path):
    done = run_cli("nmap", "--config", _config(tmp_path, receiver, token_file, targets="10.213.0.9"))
    assert done.returncode == 2 and "only loopback may be scanned" in done.stderr
    done = run_cli("nmap", "--config", _config(tmp_path, receiver, token_file, target="127.0.0.1"))
    assert done.returncode == 2 and "unknown setting(s)" in done.stderr and "target" in done.stderr
    done = run_cli("nmap", "--config", _config(tmp_path, receiver, token_file, every="soon"))
    assert done.returncode == 2 and "bad interval 'soon'" in done.stderr
    assert receiver.requests == []


def test_scanners_never_import_the_server():
    import ast

    for path in (ROOT / "scanners").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not [n for n in names if n == "inventory" or n.startswith("inventory.")], path


def test_default_ports_are_nmaps_top_100(tmp_path):
    """No --ports (flags or config): nmap is asked for its own 100 most common ports; a loopback scan shows it."""
    import ipaddress
    import xml.etree.ElementTree as ET

    from scanners.__main__ import build_parser
    from scanners.nmap_discovery import nmap_options, settings_from
    from scanners.nmap_discovery.collect import scan_chunk

    def options(*flags):
        args = build_parser().parse_args(["nmap", "--targets", "127.0.0.1", "--server", "http://127.0.0.1:9",
                                          "--token-file", str(tmp_path / "t"), *flags])
        return nmap_options(settings_from(args))

    default = options()
    assert default.ports == "top100" and "--top-ports 100" in default.arguments()
    assert "--top-ports 20" in options("--ports", "top20").arguments()
    assert "-sn" in options("--ports", "none").arguments().split()
    assert "-p 22,80" in options("--ports", "22,80").arguments()
    result = scan_chunk([ipaddress.ip_network("127.0.0.1/32")], default, timeout=60)
    assert result.error is None, result.error
    root = ET.fromstring(result.xml)
    assert "--top-ports 100" in root.get("args")
    assert root.find("scaninfo").get("numservices") == "100"  # nmap's own list, resolved by nmap
