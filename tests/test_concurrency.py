"""Twenty people check out the same asset at once: exactly one wins."""

import threading
import time

import requests

from inventory.extensions import db
from inventory.models import Asset, Assignment, Change, Employee
from tests.conftest import CONCURRENT_THREADS
from tests.factories import create_asset, create_employee


def test_twenty_simultaneous_checkouts_one_wins(concurrent_server, tokens):
    """20 clients, each on its own connection to a server with 20 threads per worker (so none queues behind
    another in gunicorn), released together by a barrier: one checkout wins, 19 get the one 409 shape."""
    base = concurrent_server.url
    asset = create_asset()
    asset_id, tag = asset.id, asset.asset_tag
    people = [create_employee().id for _ in range(CONCURRENT_THREADS)]
    barrier = threading.Barrier(len(people))
    results, spans = [], []
    headers = {"Authorization": f"Bearer {tokens['it']}"}

    def go(employee_id):
        session = requests.Session()  # its own connection, opened (and the token looked up) before the race
        assert session.get(f"{base}/api/v1/assets/{asset_id}", headers=headers, timeout=30).ok
        barrier.wait()
        start = time.monotonic()
        r = session.post(f"{base}/api/v1/assets/{asset_id}/checkout", json={"employee_id": employee_id},
                         headers=headers, timeout=30)
        spans.append((start, time.monotonic()))
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * 19, results
    # Released together: every request was sent before the first answer came back (the server has a thread each).
    assert max(s for s, _ in spans) < min(e for _, e in spans), spans
    winner = next(body for code, body in results if code == 201)
    holder = db.session.get(Employee, winner["employee_id"]).name
    for code, body in results:
        if code == 409:
            assert set(body) == {"code", "status", "message"}, body
            assert (body["code"], body["status"]) == (409, "Conflict")
            assert body["message"] == f"Asset {tag} is already checked out to {holder}; check it in first."
    db.session.rollback()
    open_rows = db.session.query(Assignment).filter(Assignment.checked_in_at.is_(None)).all()
    assert len(open_rows) == 1 and open_rows[0].asset_id == asset_id
    assert open_rows[0].employee_id == winner["employee_id"]
    assert db.session.get(Asset, asset_id).status == "deployed"
    assert db.session.query(Change).filter_by(action="checkout").count() == 1
    log = concurrent_server.log.read_text()
    assert "Booting worker" in log  # the log is the server's
    assert "Traceback" not in log and "database is locked" not in log and "unexpected error" not in log, log


def test_the_database_itself_refuses_a_second_open_assignment(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    asset, a, b = create_asset(), create_employee(), create_employee()
    db.session.add(Assignment(asset_id=asset.id, employee_id=a.id, checked_out_by="x"))
    db.session.commit()
    db.session.add(Assignment(asset_id=asset.id, employee_id=b.id, checked_out_by="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_two_overlapping_batches_at_once_make_no_duplicates_and_lose_no_sighting(live_server, tokens):
    """Two scanners push overlapping hosts at the same moment, each on its own connection."""
    from inventory.models import Sighting, TriageItem

    known_id = create_asset(interfaces=[{"mac": "00:14:22:00:00:01"}]).id
    shared = [{"macs": [f"00:14:22:00:01:{i:02x}"], "ip_addresses": [f"10.20.1.{i}"]} for i in range(40)]
    known = {"macs": ["00:14:22:00:00:01"], "ip_addresses": ["10.20.0.1"]}

    def body(scanner, extra_ip):
        own = [{"macs": [f"00:14:22:00:02:{i:02x}"], "ip_addresses": [f"10.20.2.{i}"]} for i in range(10)] \
            if scanner == "a" else [{"hostname": f"host-{i}"} for i in range(10)]
        return {"source": "nmap", "scanner": scanner, "scan_id": "s1", "batch": 0, "complete": False, "scope": [],
                "observations": shared + own + [{**known, "ip_addresses": [extra_ip]}]}

    barrier = threading.Barrier(2)
    results = {}

    def go(scanner, extra_ip):
        session = requests.Session()
        barrier.wait()
        r = session.post(f"{live_server}/api/v1/observations", json=body(scanner, extra_ip),
                         headers={"Authorization": f"Bearer {tokens['scanner']}"}, timeout=60)
        results[scanner] = (r.status_code, r.json())

    threads = [threading.Thread(target=go, args=("a", "10.20.0.1")), threading.Thread(target=go, args=("b", "10.20.0.2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {k: v[0] for k, v in results.items()} == {"a": 200, "b": 200}, results
    db.session.rollback()
    keys = [k for (k,) in db.session.query(TriageItem.identity_key)]
    assert len(keys) == len(set(keys)) == 40 + 10 + 10
    assert {t.seen_count for t in db.session.query(TriageItem) if t.identity_key.startswith("mac:00:14:22:00:01")} == {2}
    ips = {s.ip for s in db.session.query(Sighting).filter_by(asset_id=known_id)}
    assert ips == {"10.20.0.1", "10.20.0.2"}
