"""Serve a page of assets from registers of 10k, 100k and 1M assets, next to a raw sqlite3 floor.

Run: .venv/bin/python bench/list_assets.py [--sizes 10000,100000,1000000] [--seconds 5]
Both servers are gunicorn with 2 sync workers on loopback, measured with wrk (8 connections).
"""

import argparse
import base64
import random
import sqlite3
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, Server, admin_token, migrated_sqlite, wrk  # noqa: E402

KINDS = ("computer", "phone", "mobile_device", "network_device", "peripheral")
STATUSES = ("in_stock", "deployed", "in_repair", "retired")


def fill(path: Path, n: int) -> None:
    """Bulk-load n assets (one interface each, a third checked out) with raw SQL."""
    conn = sqlite3.connect(path)
    now = "2026-01-01 00:00:00.000000"
    conn.execute("INSERT INTO department (id, name, created_at, updated_at) VALUES (1, 'Bench', ?, ?)", (now, now))
    conn.executemany(
        "INSERT INTO employee (id, employee_number, name, email, department_id, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 1, 'active', ?, ?)",
        ((i, f"B{i}", f"Person {i}", f"p{i}@example.com", now, now) for i in range(1, 1001)))
    rng = random.Random(1)

    def assets():
        for i in range(1, n + 1):
            kind = KINDS[i % 5]
            status = "deployed" if i % 3 == 0 else STATUSES[rng.randrange(4)].replace("deployed", "in_stock")
            yield (i, f"INV-{i:07d}", kind, status, f"SN{i:09d}", f"host-{i}", 99900 + i % 1000, "EUR",
                   "{}", '["serial_number"]', now, now)

    conn.executemany(
        "INSERT INTO asset (id, asset_tag, kind, status, serial_number, hostname, purchase_cost_cents, currency, "
        "custom_fields, locked_fields, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", assets())
    conn.executemany(
        "INSERT INTO network_interface (asset_id, name, mac, ip_addresses) VALUES (?, 'eth0', ?, ?)",
        ((i, ":".join(f"{b:02x}" for b in (0, 0x14, 0x22, i >> 16 & 255, i >> 8 & 255, i & 255)),
          f'["10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"]') for i in range(1, n + 1)))
    conn.executemany(
        "INSERT INTO assignment (asset_id, employee_id, checked_out_at, source, checked_out_by) "
        "VALUES (?, ?, ?, 'manual', 'bench')",
        ((i, 1 + i % 1000, now) for i in range(3, n + 1, 3)))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def cursor_at(asset_id: int) -> str:
    return base64.urlsafe_b64encode(f"k1:{asset_id}".encode()).decode().rstrip("=")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'assets':>9} {'page':<9} {'app req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'floor req/s':>12} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}")
    for n in (int(s) for s in args.sizes.split(",")):
        path = OUT / f"list_{n}.db"
        url = migrated_sqlite(path)
        t0 = time.perf_counter()
        fill(path, n)
        load_s = time.perf_counter() - t0
        token = admin_token(url)
        env = {"INVENTORY_DATABASE_URL": url, "BENCH_DB": str(path)}
        app, floor = Server("wsgi:app", env), Server("raw_floor:app", env, pythonpath=str(OUT.parent))
        headers = {"Authorization": f"Bearer {token}"}
        try:
            app.wait("/api/v1/assets?limit=1", headers)
            floor.wait("/?limit=1", headers)
            pages = {"first": "limit=50", "filtered": "kind=computer&status=deployed&limit=50",
                     "deep": f"limit=50&cursor={cursor_at(int(n * 0.9))}"}
            for name, query in pages.items():
                bodies = [urllib.request.urlopen(urllib.request.Request(url, headers=headers)).read()
                          for url in (f"{app.base}/api/v1/assets?{query}", f"{floor.base}/?{query}")]
                assert bodies[0] == bodies[1], f"the floor must answer the app's bytes for {query}"
                a = wrk(f"{app.base}/api/v1/assets?{query}", token, args.seconds)
                f = wrk(f"{floor.base}/?{query}", token, args.seconds)
                assert a["errors"] == 0 and f["errors"] == 0, (a, f)
                print(f"{n:>9} {name:<9} {a['rps']:>10.0f} {a['p50']:>7.2f} {a['p99']:>7.2f} {f['rps']:>12.0f} "
                      f"{f['p50']:>7.2f} {f['p99']:>7.2f} {a['rps'] / f['rps']:>6.2f}", flush=True)
        finally:
            app.stop()
            floor.stop()
        print(f"{'':>9} (bulk load of {n} assets with raw SQL: {load_s:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
