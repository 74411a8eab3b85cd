"""Mixed traffic against gunicorn (several workers) on PostgreSQL, then the invariants.

Run: .venv/bin/python bench/load.py [--seconds 20] [--clients 8] [--workers 4] [--pg postgresql+psycopg://...]
Clients on loopback loop over: list pages with filters, free-text search, asset detail, checkout then
checkin of a random asset, and small observation batches whose hosts overlap between clients. Prints
throughput, p50/p99 per kind and errors (anything but the expected answers). Afterwards it checks:
one open assignment per asset at most, no duplicate triage identity, and one change-log entry per
successful checkout and checkin.
"""

import argparse
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Server, admin_token  # noqa: E402

EXPECTED = {"list": {200}, "search": {200}, "detail": {200}, "checkout": {201, 409}, "checkin": {200, 409},
            "batch": {200}}


def seed(url: str, n_assets: int, n_people: int) -> None:
    engine = create_engine(url)
    now = "2026-01-01 00:00:00"
    with engine.begin() as c:
        c.execute(text("INSERT INTO employee (id, employee_number, name, email, status, created_at, updated_at) "
                       "VALUES (:i, :n, :name, :e, 'active', :t, :t)"),
                  [{"i": i, "n": f"L{i}", "name": f"Load Person {i}", "e": f"l{i}@example.com", "t": now}
                   for i in range(1, n_people + 1)])
        c.execute(text("INSERT INTO asset (id, asset_tag, kind, status, serial_number, hostname, custom_fields, "
                       "locked_fields, observed, observed_diff, created_at, updated_at) VALUES (:i, :tag, :k, "
                       "'in_stock', :sn, :h, '{}', '[]', '{}', '{}', :t, :t)"),
                  [{"i": i, "tag": f"L-{i:06d}", "k": ("computer", "phone", "peripheral")[i % 3], "sn": f"LSN{i}",
                    "h": f"load-{i}", "t": now} for i in range(1, n_assets + 1)])
        for table in ("asset", "employee"):
            c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    engine.dispose()


def client(base: str, token: str, n_assets: int, n_people: int, until: float, stats, counts, lock, seed_: int):
    rnd = random.Random(seed_)
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    batch_no = 0
    while time.monotonic() < until:
        roll = rnd.random()
        asset = rnd.randint(1, n_assets)
        if roll < 0.4:
            kind, method, path, kw = "list", "GET", "/assets", {"params": {"limit": 50, **rnd.choice(
                [{}, {"kind": "phone"}, {"status": "deployed"}, {"assigned": "false"}])}}
        elif roll < 0.55:
            kind, method, path, kw = "search", "GET", "/assets", {"params": {"q": f"load-{asset}", "limit": 20}}
        elif roll < 0.75:
            kind, method, path, kw = "detail", "GET", f"/assets/{asset}", {}
        elif roll < 0.9:
            kind, method, path, kw = "checkout", "POST", f"/assets/{asset}/checkout", {
                "json": {"employee_id": rnd.randint(1, n_people)}}
        else:
            batch_no += 1
            hosts = [rnd.randint(0, 300) for _ in range(20)]
            kind, method, path, kw = "batch", "POST", "/observations", {"json": {
                "source": "nmap", "scanner": f"load-{seed_}", "scan_id": "run", "batch": batch_no, "scope": [],
                "observations": [{"macs": [f"00:1b:21:00:{h >> 8:02x}:{h & 255:02x}"],
                                  "ip_addresses": [f"10.9.{h >> 8}.{h & 255}"]} for h in hosts]}}
        t = time.perf_counter()
        r = s.request(method, f"{base}/api/v1{path}", **kw)
        took = time.perf_counter() - t
        with lock:
            stats[kind].append((took, r.status_code))
            if kind == "checkout" and r.status_code == 201:
                counts["checkout"] += 1
        if kind == "checkout" and r.status_code == 201:
            t = time.perf_counter()
            r = s.post(f"{base}/api/v1/assets/{asset}/checkin", json={})
            with lock:
                stats["checkin"].append((time.perf_counter() - t, r.status_code))
                counts["checkin"] += r.status_code == 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--assets", type=int, default=20_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"bench_load_{int(time.time())}"
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    url = args.pg.rsplit("/", 1)[0] + "/" + name
    try:
        env = {**__import__("os").environ, "INVENTORY_DATABASE_URL": url, "INVENTORY_WRITE_RATE_LIMIT": "0"}
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        seed(url, args.assets, 500)
        token = admin_token(url)
        server = Server("wsgi:app", {"INVENTORY_DATABASE_URL": url, "INVENTORY_WRITE_RATE_LIMIT": "0"},
                        workers=args.workers)
        stats, counts, lock = defaultdict(list), defaultdict(int), threading.Lock()
        try:
            server.wait("/api/v1/health", {})
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client, args=(server.base, token, args.assets, 500, until, stats,
                                                             counts, lock, i)) for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.stop()
        total = sum(len(v) for v in stats.values())
        errors = sum(1 for k, v in stats.items() for _, code in v if code not in EXPECTED[k])
        print(f"{args.clients} clients, {args.workers} gunicorn workers, PostgreSQL, {args.seconds} s: "
              f"{total} requests, {total / args.seconds:.0f} req/s, errors {errors}")
        for kind, values in sorted(stats.items()):
            ms = sorted(t * 1000 for t, _ in values)
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            print(f"  {kind:<9} {len(ms):>6} requests  p50 {statistics.median(ms):7.1f} ms  p99 {p99:7.1f} ms")
        engine = create_engine(url)
        with engine.connect() as c:
            double = c.execute(text("SELECT count(*) FROM (SELECT asset_id FROM assignment WHERE checked_in_at IS "
                                    "NULL GROUP BY asset_id HAVING count(*) > 1) x")).scalar()
            dup_triage = c.execute(text("SELECT count(*) - count(DISTINCT identity_key) FROM triage_item")).scalar()
            logged = dict(c.execute(text("SELECT action, count(*) FROM change WHERE action IN ('checkout', 'checkin') "
                                         "GROUP BY action")).all())
        engine.dispose()
        print(f"invariants: assets with two open assignments {double}; duplicate triage identities {dup_triage}; "
              f"checkouts {counts['checkout']} logged {logged.get('checkout', 0)}; checkins {counts['checkin']} "
              f"logged {logged.get('checkin', 0)}")
        ok = errors == 0 and double == 0 and dup_triage == 0 and logged.get("checkout", 0) == counts["checkout"] \
            and logged.get("checkin", 0) == counts["checkin"]
        print("all invariants hold" if ok else "INVARIANT BROKEN")
        sys.exit(0 if ok else 1)
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
