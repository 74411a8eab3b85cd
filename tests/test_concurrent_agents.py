"""Several agents report the same new devices at the same moment: one asset each, and every agent gets a 200."""

import threading

import requests

from inventory.extensions import db
from inventory.models import Asset, Change, NetworkInterface


def _device(d: int) -> dict:
    return {"serial_number": f"RACE{d:04d}", "manufacturer": "Dell Inc.", "model": "Latitude 5440",
            "device_uuid": f"4c4c4544-0000-1000-8000-{d:012x}", "macs": [f"00:14:22:0b:00:{d:02x}"],
            "hostname": f"race-{d}"}


def test_agents_creating_the_same_devices_at_once_make_one_asset_each(live_server, tokens):
    n_agents, devices = 6, list(range(30))
    barrier = threading.Barrier(n_agents)
    results = {}

    def go(agent):
        session = requests.Session()
        body = {"source": "agent", "scanner": f"agent-{agent}", "scan_id": "first", "batch": 0,
                "observations": [_device(d) for d in (devices if agent % 2 else devices[::-1])]}
        barrier.wait()
        r = session.post(f"{live_server}/api/v1/observations", json=body, timeout=120,
                         headers={"Authorization": f"Bearer {tokens['scanner']}"})
        results[agent] = (r.status_code, r.json())

    threads = [threading.Thread(target=go, args=(a,)) for a in range(n_agents)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert {a: code for a, (code, _) in results.items()} == dict.fromkeys(range(n_agents), 200), results
    db.session.rollback()
    serials = [s for (s,) in db.session.query(Asset.serial_number)]
    assert sorted(serials) == [f"RACE{d:04d}" for d in devices]
    assert db.session.query(NetworkInterface).count() == len(devices)
    # Each device was created by exactly one of the agents, and that one creation is in the change log.
    created = [d["asset_id"] for _, body in results.values() for d in body["decisions"] if d["decision"] == "asset_created"]
    assert sorted(created) == sorted(a for (a,) in db.session.query(Asset.id))
    assert db.session.query(Change).filter_by(object_type="asset", action="create").count() == len(devices)
