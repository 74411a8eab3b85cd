"""Shared bench helpers: a migrated SQLite database, gunicorn servers and wrk runs."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remove_sqlite(path: Path) -> None:
    """A SQLite file with its -wal and -shm: a stale WAL left beside a new file of that name is replayed into it."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def migrated_sqlite(path: Path) -> str:
    remove_sqlite(path)
    url = f"sqlite:///{path}"
    env = {**os.environ, "INVENTORY_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return url


def admin_token(url: str) -> str:
    env = {**os.environ, "INVENTORY_DATABASE_URL": url}
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "tokens", "create", "--name",
                          f"bench-{time.time_ns()}", "--role", "admin"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


class Server:
    """gunicorn serving `app` (a WSGI path) with `workers` sync workers on a free loopback port."""

    def __init__(self, app: str, env: dict, workers: int = 2, pythonpath: str | None = None):
        self.port = free_port()
        args = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                "--log-level", "warning"]
        if pythonpath:
            args += ["--pythonpath", pythonpath]
        self.proc = subprocess.Popen(args + [app], cwd=ROOT, env={**os.environ, **env})
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, path: str, headers: dict) -> None:
        for _ in range(300):
            try:
                urllib.request.urlopen(urllib.request.Request(self.base + path, headers=headers), timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(self.base + path)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


def wrk(url: str, token: str, seconds: int = 5, connections: int = 8) -> dict:
    """Run wrk; return req/s and p50/p99 latency in ms, and the count of non-2xx answers."""
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H",
                          f"Authorization: Bearer {token}", url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50%"), "p99": ms("99%"),
            "errors": int(errors.group(1)) if errors else 0}
