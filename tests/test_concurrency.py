"""Twenty people check out the same asset at once: exactly one wins."""

import threading

import requests

from inventory.extensions import db
from inventory.models import Assignment
from tests.factories import create_asset, create_employee


def test_twenty_simultaneous_checkouts_one_wins(live_server, tokens):
    asset_id = create_asset().id
    people = [create_employee().id for _ in range(20)]
    barrier = threading.Barrier(20)
    results = []

    def go(employee_id):
        session = requests.Session()  # its own connection
        barrier.wait()
        r = session.post(f"{live_server}/api/v1/assets/{asset_id}/checkout", json={"employee_id": employee_id},
                         headers={"Authorization": f"Bearer {tokens['it']}"}, timeout=30)
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * 19, results
    assert all("already checked out" in body["message"] for code, body in results if code == 409)
    db.session.rollback()
    open_rows = db.session.query(Assignment).filter(Assignment.checked_in_at.is_(None)).all()
    assert len(open_rows) == 1 and open_rows[0].asset_id == asset_id


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
