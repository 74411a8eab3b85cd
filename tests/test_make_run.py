"""The README's `make run`, from a copy of the tree with no instance/: migrate, seed, token, serve."""

import os
import signal
import subprocess
import time

import requests

from tests.conftest import ROOT, free_port


def _tree_copy(dest):
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for name in files:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(src.read_bytes())
            (dest / name).chmod(src.stat().st_mode)


def _make_run(cwd, port):
    """Start `make run`; return (process, output so far, token) once it has printed the admin token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVENTORY_")}
    # The copy reuses this virtualenv: installing the same pins again would only cost time.
    proc = subprocess.Popen(["make", "run", f"PORT={port}", f"VENV={ROOT / '.venv'}"], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines, token, deadline = [], None, time.monotonic() + 180
    while time.monotonic() < deadline and token is None:
        line = proc.stdout.readline()
        if not line:
            break
        if lines and "Admin API token" in lines[-1]:
            token = line.strip()
        lines.append(line)
    return proc, "".join(lines), token


def _stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(20)


def test_make_run_serves_the_demo_with_a_working_admin_token(tmp_path):
    _tree_copy(tmp_path)
    port = free_port()
    proc, output, token = _make_run(tmp_path, port)
    try:
        assert token and token.startswith("inv_"), output
        assert f"http://127.0.0.1:{port}/" in output and "Demo data loaded" in output
        base = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(100):
            try:
                r = requests.get(f"{base}/assets", headers={"Authorization": f"Bearer {token}"}, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert r.status_code == 200, r.text
        kinds = {a["kind"] for a in r.json()["items"]}
        assert kinds == {"computer", "phone", "mobile_device", "network_device", "peripheral"}
        assert (tmp_path / "instance" / "inventory.db").exists()
    finally:
        _stop(proc)
    # A second run keeps the data: no second demo, a new token.
    proc, output, token2 = _make_run(tmp_path, port)
    _stop(proc)
    assert "demo not loaded" in output and token2.startswith("inv_") and token2 != token
