"""The README's `make run`, from a copy of the tree with no instance/: migrate, seed, token, web admin, serve.

Run on the embedded SQLite and, when the suite has PostgreSQL, on a fresh PostgreSQL database through
INVENTORY_DATABASE_URL, as the README says ("unchanged otherwise").
"""

import os
import re
import signal
import subprocess
import time

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, ROOT, free_port

CREDENTIALS = re.compile(r"Sign in at (\S+) as '([^']+)' with password: (\S+)")


def _tree_copy(dest):
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for name in files:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(src.read_bytes())
            (dest / name).chmod(src.stat().st_mode)


def _make_run(cwd, port, database_url):
    """Start `make run`; return (process, output so far, token) once it has printed the web sign-in line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVENTORY_")}
    if database_url:
        env["INVENTORY_DATABASE_URL"] = database_url
    # The copy reuses this virtualenv: installing the same pins again would only cost time.
    proc = subprocess.Popen(["make", "run", f"PORT={port}", f"VENV={ROOT / '.venv'}"], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines, token, deadline = [], None, time.monotonic() + 180
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if lines and "Admin API token" in lines[-1]:
            token = line.strip()
        lines.append(line)
        if line.startswith("Sign in"):
            break
    return proc, "".join(lines), token


def _stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(20)


def _wait_up(url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=10)
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def _sign_in(base, username, password):
    web = requests.Session()
    form = web.get(f"{base}/signin", timeout=20).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    r = web.post(f"{base}/signin", data={"csrf_token": csrf, "username": username, "password": password},
                 timeout=20, allow_redirects=False)
    return r, web


@pytest.fixture(params=["sqlite", "postgresql"])
def make_run_database(request):
    """None (the embedded SQLite under instance/), or a fresh, empty PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        pytest.skip("no PostgreSQL for this run (INVENTORY_TEST_DATABASE_URL)")
    name = f"inventory_make_run_{os.getpid()}_{time.time_ns()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_make_run_serves_the_demo_with_a_working_admin_token_and_web_admin(tmp_path, make_run_database):
    _tree_copy(tmp_path)
    port = free_port()
    proc, output, token = _make_run(tmp_path, port, make_run_database)
    try:
        assert token and token.startswith("inv_"), output
        assert f"http://127.0.0.1:{port}/" in output and "Demo data loaded" in output
        base = f"http://127.0.0.1:{port}"
        _wait_up(f"{base}/api/v1/health")
        r = requests.get(f"{base}/api/v1/assets", headers={"Authorization": f"Bearer {token}"}, timeout=20)
        assert r.status_code == 200, r.text
        kinds = {a["kind"] for a in r.json()["items"]}
        assert kinds == {"computer", "phone", "mobile_device", "network_device", "peripheral"}
        # The first web admin's credentials are printed once, and they sign in.
        where, username, password = CREDENTIALS.search(output).groups()
        assert where == f"{base}/"
        r, web = _sign_in(base, username, password)
        assert r.status_code == 302, r.text
        assert web.get(f"{base}/assets", timeout=20).status_code == 200
        assert _sign_in(base, username, password + "x")[0].status_code == 401
        assert (tmp_path / "instance" / "inventory.db").exists() == (make_run_database is None)
    finally:
        _stop(proc)
    # A second run keeps the data: no second demo, a new token, no second admin.
    proc, output, token2 = _make_run(tmp_path, port, make_run_database)
    _stop(proc)
    assert "demo not loaded" in output and token2.startswith("inv_") and token2 != token
    assert not CREDENTIALS.search(output) and "an admin exists" in output
