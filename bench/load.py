"""Mixed traffic against gunicorn (several workers) on PostgreSQL, then the invariants.

Run: .venv/bin/python bench/load.py [--seconds 20] [--clients 8] [--workers 4] [--pg postgresql+psycopg://...]
Clients on loopback loop over: list pages with filters, free-text search, asset detail, checkout then
checkin of a random asset, small nmap batches whose hosts overlap between clients, and agent batches
reporting devices from one shared pool (so several clients create the same new device at once). Prints
throughput, p50/p99 per kind and errors: anything but the expected answers, a failed connection or a
broken answer included. Afterwards it checks: one open assignment per asset at most, no duplicate triage
identity, serial (per manufacturer), UUID or MAC, one change-log entry per successful checkout and checkin,
and exactly the assets the agent batches answered "asset_created" and "updated" logged with that request id.
"""

import argparse
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Server, admin_token  # noqa: E402

EXPECTED = {"list": {200}, "search": {200}, "detail": {200}, "checkout": {201, 409}, "checkin": {200, 409},
            "batch": {200},
            "agent": {200}}


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


AGENT_DEVICES = 300  # new devices reported by agents; every client reports from the same pool


def agent_observation(d: int, rnd: random.Random) -> dict:
    """Device d as its agent reports it: fixed serial, UUID and MAC, a hostname that changes now and then."""
    return {"serial_number": f"AGT{d:05d}", "manufacturer": "Dell Inc.", "model": "Latitude 5440",
            "device_uuid": str(uuid.UUID(int=0xA6E47 << 64 | d)),
            "macs": [f"00:14:22:0a:{d >> 8:02x}:{d & 255:02x}"],
            "hostname": f"agt-{d}-{rnd.randint(0, 3)}", "os_name": "Windows", "os_version": "11"}


def request_for(rnd: random.Random, n_assets: int, n_people: int, seed_: int, batch_no: int):
    roll = rnd.random()
    asset = rnd.randint(1, n_assets)
    if roll < 0.4:
        return "list", "GET", "/assets", {"params": {"limit": 50, **rnd.choice(
            [{}, {"kind": "phone"}, {"status": "deployed"}, {"assigned": "false"}])}}, asset
    if roll < 0.55:
        return "search", "GET", "/assets", {"params": {"q": f"load-{asset}", "limit": 20}}, asset
    if roll < 0.72:
        return "detail", "GET", f"/assets/{asset}", {}, asset
    if roll < 0.86:
        return "checkout", "POST", f"/assets/{asset}/checkout", {"json": {"employee_id": rnd.randint(1, n_people)}}, \
            asset
    if roll < 0.93:
        hosts = [rnd.randint(0, 300) for _ in range(20)]
        return "batch", "POST", "/observations", {"json": {
            "source": "nmap", "scanner": f"load-{seed_}", "scan_id": "run", "batch": batch_no, "scope": [],
            "observations": [{"macs": [f"00:1b:21:00:{h >> 8:02x}:{h & 255:02x}"],
                              "ip_addresses": [f"10.9.{h >> 8}.{h & 255}"]} for h in hosts]}}, asset
    devices = rnd.sample(range(AGENT_DEVICES), 10)  # overlapping between clients, never twice in one batch
    return "agent", "POST", "/observations", {"json": {
        "source": "agent", "scanner": f"agents-{seed_}", "scan_id": "run", "batch": batch_no,
        "observations": [agent_observation(d, rnd) for d in devices]}}, asset


def client(base: str, token: str, n_assets: int, n_people: int, until: float, stats, counts, lock, seed_: int,
           writes: list):
    """Loop until `until`; every answer (or failure to get one) goes into stats, none is lost."""
    rnd = random.Random(seed_)
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    batch_no = 0

    def call(kind, method, path, **kw):
        rid = f"load-{seed_}-{time.perf_counter_ns()}"
        t = time.perf_counter()
        try:
            r = s.request(method, f"{base}/api/v1{path}", headers={"X-Request-ID": rid}, timeout=60, **kw)
            code = r.status_code
        except requests.RequestException as e:
            r, code = None, f"{type(e).__name__}"
        with lock:
            stats[kind].append((time.perf_counter() - t, code))
        return r, rid

    while time.monotonic() < until:
        batch_no += 1
        kind, method, path, kw, asset = request_for(rnd, n_assets, n_people, seed_, batch_no)
        try:
            r, rid = call(kind, method, path, **kw)
            if r is None:
                continue
            if kind == "agent" and r.status_code == 200:
                decisions = r.json()["decisions"]
                with lock:
                    writes.append((rid, "create", {d["asset_id"] for d in decisions if d["decision"] == "asset_created"}))
                    writes.append((rid, "observe", {d["asset_id"] for d in decisions if d["decision"] == "updated"}))
            if kind == "checkout" and r.status_code == 201:
                with lock:
                    counts["checkout"] += 1
                r, _ = call("checkin", "POST", f"/assets/{asset}/checkin", json={})
                with lock:
                    counts["checkin"] += r is not None and r.status_code == 200
        except Exception as e:  # noqa: BLE001 - a broken answer is an error to count, not a dead client
            with lock:
                stats[kind].append((0.0, f"client {type(e).__name__}: {e}"[:80]))


QUERIES = {
    "assets with two open assignments": "SELECT count(*) FROM (SELECT asset_id FROM assignment WHERE checked_in_at "
                                        "IS NULL GROUP BY asset_id HAVING count(*) > 1) x",
    "duplicate triage identities": "SELECT count(*) - count(DISTINCT identity_key) FROM triage_item",
    # GROUP BY puts NULL manufacturers together, so this also catches what the unique constraint lets through.
    "duplicate serials (per manufacturer)": "SELECT count(*) FROM (SELECT 1 FROM asset WHERE serial_number IS NOT "
                                            "NULL GROUP BY manufacturer_id, serial_number HAVING count(*) > 1) x",
    "duplicate UUIDs": "SELECT count(*) - count(DISTINCT device_uuid) FROM asset WHERE device_uuid IS NOT NULL",
    "duplicate MACs": "SELECT count(*) - count(DISTINCT mac) FROM network_interface WHERE mac IS NOT NULL",
    "agent serials seen twice under another asset": "SELECT count(*) - count(DISTINCT serial_number) FROM asset "
                                                    "WHERE serial_number LIKE 'AGT%'",
    "agent assets without their MAC": "SELECT count(*) FROM asset a WHERE serial_number LIKE 'AGT%' AND NOT EXISTS "
                                      "(SELECT 1 FROM network_interface n WHERE n.asset_id = a.id)",
}


def invariants(url: str, counts: dict, writes: list) -> bool:
    """Print and check what must hold after the run; True when all of it does."""
    engine = create_engine(url)
    with engine.connect() as c:
        found = {label: c.execute(text(q)).scalar() for label, q in QUERIES.items()}
        logged = dict(c.execute(text("SELECT action, count(*) FROM change WHERE action IN ('checkout', 'checkin') "
                                     "GROUP BY action")).all())
        rows = set(c.execute(text("SELECT request_id, action, object_id FROM change WHERE object_type = 'asset' "
                                  "AND action IN ('create', 'observe') AND request_id LIKE 'load-%'")).all())
        agents = c.execute(text("SELECT count(*) FROM asset WHERE serial_number LIKE 'AGT%'")).scalar()
    engine.dispose()
    answered = {(rid, action, a) for rid, action, ids in writes for a in ids}
    for label, n in found.items():
        print(f"invariants: {label} {n}")
    print(f"invariants: checkouts {counts.get('checkout', 0)} logged {logged.get('checkout', 0)}; "
          f"checkins {counts.get('checkin', 0)} logged {logged.get('checkin', 0)}")
    made = sum(1 for _, action, _ in answered if action == "create")
    print(f"invariants: agent batches {len(writes) // 2}: assets created {made} (in the register {agents}), "
          f"logged {sum(1 for _, action, _ in rows if action == 'create')}; assets updated "
          f"{len(answered) - made}, logged {sum(1 for _, action, _ in rows if action == 'observe')}; "
          f"answered but not logged {len(answered - rows)}, logged but not answered {len(rows - answered)}")
    return not any(found.values()) and logged.get("checkout", 0) == counts.get("checkout", 0) \
        and logged.get("checkin", 0) == counts.get("checkin", 0) and answered == rows and made == agents


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
        stats, counts, lock, writes = defaultdict(list), defaultdict(int), threading.Lock(), []
        try:
            server.wait("/api/v1/health", {})
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client, daemon=True, args=(
                server.base, token, args.assets, 500, until, stats, counts, lock, i, writes))
                for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(args.seconds + 120)  # bounded: a request has a 60 s timeout
            hung = sum(t.is_alive() for t in threads)
        finally:
            server.stop()
        with lock:
            total = sum(len(v) for v in stats.values())
            failed = defaultdict(int)
            for k, v in stats.items():
                for _, code in v:
                    if code not in EXPECTED[k]:
                        failed[(k, code)] += 1
            errors = sum(failed.values()) + hung
            print(f"{args.clients} clients, {args.workers} gunicorn workers, PostgreSQL, {args.seconds} s: "
                  f"{total} requests, {total / args.seconds:.0f} req/s, errors {errors}")
            for (k, code), n in sorted(failed.items(), key=str):
                print(f"  error: {k} {code} x{n}")
            if hung:
                print(f"  error: {hung} clients still waiting for an answer")
            for kind, values in sorted(stats.items()):
                ms = sorted(t * 1000 for t, _ in values)
                p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
                print(f"  {kind:<9} {len(ms):>6} requests  p50 {statistics.median(ms):7.1f} ms  p99 {p99:7.1f} ms")
            ok = invariants(url, dict(counts), list(writes)) and errors == 0
        print("all invariants hold" if ok else "INVARIANT BROKEN")
        sys.exit(0 if ok else 1)
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
