"""Two agents report the same new device at the same moment, each on its own connection: one asset, no error.

Runs against gunicorn (two workers) on SQLite and PostgreSQL, like tests/test_concurrency.py.
"""

import threading

import pytest
import requests

from inventory.extensions import db
from inventory.models import Asset, Change, NetworkInterface
from tests.factories import create_asset

ROUNDS = 4  # each round is a fresh race; one lost round is enough to fail


def push_together(base: str, token: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, dict]] = []

    def go(body):
        session = requests.Session()  # its own connection
        barrier.wait()
        r = session.post(f"{base}/api/v1/observations", json=body, headers={"Authorization": f"Bearer {token}"},
                         timeout=120)
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=go, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def agent_batch(scanner: str, scan_id: str, observation: dict, source: str = "agent") -> dict:
    return {"source": source, "scanner": scanner, "scan_id": scan_id, "batch": 0, "complete": False, "scope": [],
            "observations": [observation]}


@pytest.mark.parametrize("identity", [
    pytest.param(lambda n: {"serial_number": f"NEW-{n}", "manufacturer": "Dell Inc.", "model": "Latitude 7440"},
                 id="serial-manufacturer-model"),
    pytest.param(lambda n: {"serial_number": f"BARE-{n}", "manufacturer": "Lenovo"}, id="serial-manufacturer"),
    pytest.param(lambda n: {"device_uuid": f"4c4c4544-0042-3510-8052-b4c04f4a4e{n:02d}"}, id="uuid"),
])
def test_two_agents_reporting_one_new_device_make_one_asset(live_server, tokens, identity):
    for n in range(ROUNDS):
        seen = {**identity(n), "hostname": f"lt-new-{n}", "os_name": "Windows"}
        bodies = [agent_batch(f"agent-{side}", f"r{n}", {**seen, "ip_addresses": [f"10.20.{side}.{n}"]})
                  for side in (1, 2)]
        results = push_together(live_server, tokens["scanner"], bodies)
        assert sorted(code for code, _ in results) == [200, 200], results
        decisions = sorted(body["decisions"][0]["decision"] for _, body in results)
        assert decisions in (["asset_created", "unchanged"], ["asset_created", "updated"]), results
        assert len({body["decisions"][0]["asset_id"] for _, body in results}) == 1, results
    db.session.rollback()
    assert db.session.query(Asset).count() == ROUNDS
    assert {a.hostname for a in db.session.query(Asset)} == {f"lt-new-{n}" for n in range(ROUNDS)}
    assert db.session.query(Change).filter_by(action="create", object_type="asset").count() == ROUNDS


def test_two_batches_adding_one_new_mac_to_a_known_asset_make_one_interface(live_server, tokens):
    known = create_asset(serial_number="KNOWN-1").id
    for n in range(ROUNDS):
        mac = f"00:14:22:00:0a:{n:02x}"
        bodies = [agent_batch(f"scan-{side}", f"r{n}", {"serial_number": "KNOWN-1", "macs": [mac],
                                                         "ip_addresses": [f"10.20.{side}.{n}"]}, source="nmap")
                  for side in (1, 2)]
        results = push_together(live_server, tokens["scanner"], bodies)
        assert sorted(code for code, _ in results) == [200, 200], results
        assert {body["decisions"][0]["asset_id"] for _, body in results} == {known}, results
    db.session.rollback()
    macs = [m for (m,) in db.session.query(NetworkInterface.mac).filter_by(asset_id=known)]
    assert sorted(macs) == [f"00:14:22:00:0a:{n:02x}" for n in range(ROUNDS)]
    assert db.session.query(NetworkInterface).count() == ROUNDS


def _device(d: int) -> dict:
    return {"serial_number": f"RACE{d:04d}", "manufacturer": "Dell Inc.", "model": "Latitude 5440",
            "device_uuid": f"4c4c4544-0000-1000-8000-{d:012x}", "macs": [f"00:14:22:0b:00:{d:02x}"],
            "hostname": f"race-{d}"}


def test_agents_creating_the_same_devices_at_once_in_opposite_orders_make_one_asset_each(live_server, tokens):
    """Six agents, thirty new devices each, half of them listed backwards (locks taken in one order: no deadlock)."""
    devices = list(range(30))
    bodies = [{"source": "agent", "scanner": f"agent-{agent}", "scan_id": "first", "batch": 0,
               "observations": [_device(d) for d in (devices if agent % 2 else devices[::-1])]} for agent in range(6)]
    results = push_together(live_server, tokens["scanner"], bodies)
    assert [code for code, _ in results] == [200] * len(bodies), results
    db.session.rollback()
    assert sorted(s for (s,) in db.session.query(Asset.serial_number)) == [f"RACE{d:04d}" for d in devices]
    assert db.session.query(NetworkInterface).count() == len(devices)
    # Each device was created by exactly one of the agents, and that one creation is in the change log.
    created = [d["asset_id"] for _, body in results for d in body["decisions"] if d["decision"] == "asset_created"]
    assert sorted(created) == sorted(a for (a,) in db.session.query(Asset.id))
    assert db.session.query(Change).filter_by(object_type="asset", action="create").count() == len(devices)
