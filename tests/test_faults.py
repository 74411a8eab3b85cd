"""Faults: a server killed mid-ingest, PostgreSQL restarted under load, a read-only or full database."""

import glob
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager

import pytest
import requests
from flask_migrate import upgrade
from sqlalchemy import text

from inventory import create_app
from inventory.extensions import db
from inventory.models import Asset, Change, Employee, IngestBatch, Sighting, TriageItem
from inventory.services.context import Context
from inventory.services.tokens import create_token
from tests.conftest import PG_URL, ROOT, free_port, wait_http


def _gunicorn(database_url: str, workers: int = 1):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--timeout", "120", "--bind",
         f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env={**os.environ, "INVENTORY_DATABASE_URL": database_url}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/api/v1/health", proc=proc)
    return proc, base


def _big_batch(n: int, scan_id: str) -> dict:
    return {"source": "nmap", "scanner": "fault", "scan_id": scan_id, "batch": 0, "complete": False, "scope": [],
            "observations": [{"macs": [f"00:14:22:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"],
                              "ip_addresses": [f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"]} for i in range(n)]}


def _state():
    db.session.rollback()
    return tuple(db.session.query(m).count() for m in (IngestBatch, TriageItem, Sighting))


def _writing_transactions(database_url: str) -> int:
    """PostgreSQL: transactions of other sessions on this database that have written (they hold an xid) and
    are not the token's brief last-used update."""
    db.session.rollback()  # pg_stat_activity is a per-transaction snapshot
    return db.session.execute(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_xid IS NOT NULL AND query NOT ILIKE 'COMMIT%' AND query NOT ILIKE '%api_token%' "
        "AND now() - xact_start > interval '300 milliseconds'")).scalar()


def _sqlite_writer_spilling(database_url: str) -> bool:
    """SQLite: another connection holds the write lock and its uncommitted pages are spilling into the WAL."""
    path = database_url.removeprefix("sqlite:///")
    wal = path + "-wal"
    if not os.path.exists(wal) or os.path.getsize(wal) < 1_000_000:
        return False
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as e:
        return "locked" in str(e)
    finally:
        probe.close()


def _wait_until_writing(database_url: str, outcome: dict, timeout: float = 180) -> None:
    sqlite = database_url.startswith("sqlite")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert not outcome, f"the batch finished before it could be killed mid-write: {outcome}"
        if (_sqlite_writer_spilling(database_url) if sqlite else _writing_transactions(database_url)):
            return
        time.sleep(0.05)
    raise TimeoutError("the batch never started writing")


def test_server_killed_mid_ingest_leaves_all_or_nothing(app, database_url, tokens):
    """The worker is killed while the batch's transaction is open and writing: nothing of it is kept, the
    scanner sees a broken connection (never a 200), and pushing the same batch again lands it whole, once."""
    if database_url.startswith("sqlite"):
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # WAL growth from here on is the batch's
        db.session.commit()
    proc, base = _gunicorn(database_url)
    headers = {"Authorization": f"Bearer {tokens['scanner']}"}
    body = _big_batch(20_000, "killed")
    outcome = {}

    def push():
        try:
            r = requests.post(f"{base}/api/v1/observations", json=body, headers=headers, timeout=300)
            outcome["status"] = r.status_code
        except requests.RequestException as e:
            outcome["error"] = e

    sent = threading.Thread(target=push)
    sent.start()
    try:
        _wait_until_writing(database_url, outcome)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        sent.join(30)
    assert isinstance(outcome.get("error"), requests.ConnectionError), outcome
    # Killed mid-transaction: the rows it had written are gone with it (PostgreSQL aborts the dead session's
    # transaction; SQLite's WAL frames without a commit are ignored).
    for _ in range(100):  # the dead session's backend notices its client has gone within moments
        if database_url.startswith("sqlite") or not _writing_transactions(database_url):
            break
        time.sleep(0.1)
    assert _state() == (0, 0, 0)
    # The scanner sends it again after the restart: it lands whole, once.
    proc, base = _gunicorn(database_url)
    try:
        r = requests.post(f"{base}/api/v1/observations", json=body, headers=headers, timeout=300)
        assert r.status_code == 200 and r.headers["Idempotent-Replayed"] == "false"
        assert r.json()["created"] + r.json()["matched"] + r.json()["conflicts"] == 20_000
        assert _state() == (1, 20_000, 0)
        again = requests.post(f"{base}/api/v1/observations", json=body, headers=headers, timeout=300)
        assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
        assert _state() == (1, 20_000, 0)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


@contextmanager
def _private_postgres():
    """A PostgreSQL cluster of the test's own on a free loopback port, so restarting it disturbs nobody.
    Yields (url, restart)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
    if not found[-1]:
        pytest.fail("needs PostgreSQL's server binaries (initdb, pg_ctl) to run a cluster of its own")
    bindir = os.path.dirname(found[-1])
    data = tempfile.mkdtemp(prefix="inv-fault-pg-")
    as_owner = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def ctl(*args):
        subprocess.run(as_owner + [f"{bindir}/pg_ctl", "-D", data, "-w", "-t", "60", *args], check=True,
                       capture_output=True, timeout=90)

    subprocess.run(as_owner + [f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync"],
                   check=True, capture_output=True, timeout=120)
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl("-o", options, "-l", f"{data}/log", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", lambda: ctl(
            "-m", "fast", "-o", options, "-l", f"{data}/log", "restart")
    finally:
        subprocess.run(as_owner + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True,
                       timeout=60)
        shutil.rmtree(data, ignore_errors=True)


_OK = {"list": {200}, "detail": {200}, "checkout": {201, 409}, "checkin": {200, 409}, "batch": {200}}


def _traffic(base: str, token: str, asset_ids: list[int], person_id: int, stop: threading.Event, seen: list, n: int):
    """Reads and writes in a loop: every answer (or a failed connection) is kept with its time."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    batch = 0

    def call(kind, method, path, **kw):
        try:
            r = s.request(method, f"{base}/api/v1{path}", timeout=30, **kw)
            try:
                body = r.json()
            except ValueError:
                body = None
            seen.append((time.monotonic(), kind, r.status_code, r.headers.get("Content-Type"),
                         r.headers.get("Retry-After"), body))
            return r.status_code
        except requests.RequestException as e:
            seen.append((time.monotonic(), kind, repr(e), None, None, None))

    while not stop.is_set():
        asset = asset_ids[n]
        call("list", "GET", "/assets", params={"limit": 5})
        call("detail", "GET", f"/assets/{asset}")
        if call("checkout", "POST", f"/assets/{asset}/checkout", json={"employee_id": person_id}) == 201:
            call("checkin", "POST", f"/assets/{asset}/checkin", json={})
        batch += 1
        call("batch", "POST", "/observations", json={
            "source": "nmap", "scanner": f"restart-{n}", "scan_id": "s", "batch": batch, "scope": [],
            "observations": [{"macs": [f"00:14:22:0c:{n:02x}:{batch % 256:02x}"], "ip_addresses": ["10.213.0.9"]}]})
        time.sleep(0.01)


def test_postgresql_restart_under_load_gives_503_then_recovers():
    """PostgreSQL (a cluster of the test's own) restarts while clients read, check out, check in and push
    batches: answers are 503 in the one error shape with Retry-After, never a 500 or a dropped connection;
    afterwards reads and writes succeed on the same app processes."""
    if not PG_URL:
        pytest.skip("needs INVENTORY_TEST_DATABASE_URL (PostgreSQL); CI sets it and turns this skip into a failure")
    with _private_postgres() as (url, restart):
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        with app.app_context():
            upgrade()
            _, token = create_token(f"fault-{time.time_ns()}", "admin", Context("test"))
            person = Employee(employee_number="R1", name="Restart Person", email="r1@example.com")
            assets = [Asset(asset_tag=f"R-{i}", kind="computer") for i in range(4)]
            db.session.add_all([person, *assets])
            db.session.commit()
            person_id, asset_ids = person.id, [a.id for a in assets]
            db.engine.dispose()
        proc, base = _gunicorn(url, workers=2)
        seen, stop = [], threading.Event()
        clients = [threading.Thread(target=_traffic, args=(base, token, asset_ids, person_id, stop, seen, n))
                   for n in range(len(asset_ids))]
        try:
            for t in clients:
                t.start()
            time.sleep(1.5)
            restart()
            restarted = time.monotonic()
            time.sleep(3)
        finally:
            stop.set()
            for t in clients:
                t.join(60)
        try:
            # Afterwards, on the same gunicorn processes: a read and each kind of write succeed.
            h = {"Authorization": f"Bearer {token}"}
            assert requests.get(f"{base}/api/v1/assets", headers=h, timeout=30).status_code == 200
            assert requests.post(f"{base}/api/v1/assets/{asset_ids[0]}/checkout", json={"employee_id": person_id},
                                 headers=h, timeout=30).status_code == 201
            assert requests.post(f"{base}/api/v1/assets/{asset_ids[0]}/checkin", json={}, headers=h,
                                 timeout=30).status_code == 200
            assert requests.post(f"{base}/api/v1/observations", headers=h, timeout=30, json={
                "source": "nmap", "scanner": "after", "scan_id": "s", "batch": 0, "scope": [],
                "observations": [{"macs": ["00:14:22:0d:00:01"], "ip_addresses": ["10.213.0.10"]}]}).status_code == 200
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
    bad = [(kind, code, body) for _, kind, code, _, _, body in seen if code not in _OK[kind] | {503}]
    assert not bad, bad[:5]  # never a 500, never a dropped connection
    assert all(ct == "application/json" for *_, ct, _, _ in seen)
    unavailable = [(ra, body) for _, _, code, _, ra, body in seen if code == 503]
    assert unavailable, "the restart was seen by no request"
    for retry_after, body in unavailable:
        assert retry_after and int(retry_after) > 0, retry_after
        assert set(body) == {"code", "status", "message"} and body["code"] == 503, body
    for kind, ok in _OK.items():
        assert any(code in ok for t, k, code, *_ in seen if k == kind and t > restarted), f"no {kind} recovered"


def test_read_only_database_gives_a_clear_error_and_reads_still_work(tmp_path):
    path = tmp_path / "ro.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TESTING": True})
    with app.app_context():
        upgrade()
        _, token = create_token("ro", "admin", Context("test"))
        db.session.commit()
        db.engine.dispose()
    ro = create_app({"DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true", "TESTING": True})
    client, headers = ro.test_client(), {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/assets", headers=headers).status_code == 200
    r = client.post("/api/v1/departments", json={"name": "X"}, headers=headers)
    assert r.status_code == 503 and "read-only" in r.json["message"]


def test_full_disk_gives_a_clear_error_and_writes_nothing(tmp_path):
    if os.geteuid() != 0:
        pytest.fail("mounting a small tmpfs needs root, as CI has")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        app = create_app({"DATABASE_URL": f"sqlite:///{mount / 'full.db'}", "TESTING": True, "WRITE_RATE_LIMIT": 0})
        with app.app_context():
            upgrade()
            _, token = create_token("full", "admin", Context("test"))
            db.session.commit()
            client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
            codes = []
            for _ in range(200):
                r = client.post("/api/v1/assets", json={"kind": "computer", "notes": "x" * 19_000}, headers=headers)
                codes.append(r.status_code)
                if r.status_code != 201:
                    break
            assert codes[-1] == 507 and "full" in r.json["message"], codes[-5:]
            db.session.rollback()
            # Every asset that was answered 201 is there with its change record; the refused one is not.
            assert db.session.query(Asset).count() == codes.count(201) == db.session.query(Change).filter_by(
                object_type="asset").count()
            db.engine.dispose()
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
