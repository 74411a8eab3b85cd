"""Faults: a server killed mid-ingest, PostgreSQL restarted under load, a read-only or full database."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests
from flask_migrate import upgrade

from inventory import create_app
from inventory.extensions import db
from inventory.models import Asset, Change, IngestBatch, Sighting, TriageItem
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


def test_server_killed_mid_ingest_leaves_all_or_nothing(app, database_url, tokens):
    proc, base = _gunicorn(database_url)
    headers = {"Authorization": f"Bearer {tokens['scanner']}"}
    body = _big_batch(20_000, "killed")
    sent = threading.Thread(target=lambda: _swallow(lambda: requests.post(
        f"{base}/api/v1/observations", json=body, headers=headers, timeout=120)))
    sent.start()
    time.sleep(1.0)  # the batch is being applied: it takes seconds
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    sent.join(30)
    assert _state() in ((0, 0, 0), (1, 20_000, 0)), _state()
    # The scanner sends it again after the restart: it lands whole, once.
    proc, base = _gunicorn(database_url)
    try:
        r = requests.post(f"{base}/api/v1/observations", json=body, headers=headers, timeout=120)
        assert r.status_code == 200 and r.json()["created"] + r.json()["matched"] + r.json()["conflicts"] == 20_000
        assert _state() == (1, 20_000, 0)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


def _swallow(call):
    try:
        call()
    except requests.RequestException:
        pass


def test_postgresql_restart_under_load_gives_503_then_recovers(tmp_path):
    if not PG_URL:
        pytest.skip("needs INVENTORY_TEST_DATABASE_URL (PostgreSQL); CI sets it and turns this skip into a failure")
    app = create_app({"DATABASE_URL": PG_URL, "TESTING": True})
    with app.app_context():
        upgrade()
        _, token = create_token(f"fault-{time.time_ns()}", "admin", Context("test"))
        db.session.commit()
        db.engine.dispose()
    proc, base = _gunicorn(PG_URL, workers=2)
    statuses, stop = [], threading.Event()

    def load():
        s = requests.Session()
        while not stop.is_set():
            try:
                r = s.get(f"{base}/api/v1/assets?limit=5", headers={"Authorization": f"Bearer {token}"}, timeout=10)
                statuses.append((time.monotonic(), r.status_code, r.headers.get("Content-Type")))
            except requests.RequestException as e:
                statuses.append((time.monotonic(), repr(e), None))
            time.sleep(0.02)

    worker = threading.Thread(target=load)
    worker.start()
    try:
        time.sleep(1)
        cluster = sorted(os.listdir("/etc/postgresql"))[0]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True,
                       capture_output=True, timeout=120)
        restarted = time.monotonic()
        time.sleep(3)
    finally:
        stop.set()
        worker.join(20)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    codes = [c for _, c, _ in statuses]
    assert set(codes) <= {200, 503}, set(codes)  # never a 500, never a dropped connection
    assert all(ct == "application/json" for _, _, ct in statuses)
    assert any(c == 200 for t, c, _ in statuses if t > restarted), "the app recovered without a restart"


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
