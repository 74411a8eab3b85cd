"""Push a 10k-observation batch against a register of 100k assets, on SQLite and PostgreSQL, next to floors.

Run: .venv/bin/python bench/ingest.py [--assets 100000] [--observations 10000] [--pg postgresql+psycopg://...]
The register is bulk-loaded with raw SQL. Of the observations half match by serial and manufacturer, a fifth
by MAC, the rest are new devices (to triage). The batch is posted over HTTP to gunicorn; a re-push of the same
batch (a replay) is timed too. Two floors are measured in the same run, on copies of the same register:

- "same writes" (the goal's floor: JSON decode plus raw executemany of the same rows): the app is run once in
  process with every statement it sends to the driver recorded (reads and writes, with their bound values);
  then the body is JSON-decoded and those statements are replayed on the raw DBAPI connection (executemany
  where the app used it) in one transaction. The app's time above it is what it spends in Python plus HTTP.
- "thin", for reference: JSON decode plus a raw executemany upsert of one 4-column row per observation, into
  a table of its own: far less than an ingest must write (assets, interfaces, sightings, triage, change log).
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, ROOT, Server, admin_token, migrated_sqlite, remove_sqlite  # noqa: E402

NOW = "2026-01-01 00:00:00"


def mac(i: int, prefix: int = 0x22) -> str:
    return ":".join(f"{b:02x}" for b in (0, 0x14, prefix, i >> 16 & 255, i >> 8 & 255, i & 255))


def fill(url: str, n: int) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("INSERT INTO manufacturer (id, name, name_key, created_at, updated_at) "
                       "VALUES (1, 'Dell Inc.', 'dell', :t, :t)"), {"t": NOW})
        c.execute(text("INSERT INTO asset (id, asset_tag, kind, status, manufacturer_id, serial_number, hostname, "
                       "custom_fields, locked_fields, observed, observed_diff, created_at, updated_at) VALUES "
                       "(:id, :tag, 'computer', 'in_stock', 1, :sn, :host, '{}', '[]', '{}', '{}', :t, :t)"),
                  [{"id": i, "tag": f"INV-{i:07d}", "sn": f"SN{i:09d}", "host": f"host-{i}", "t": NOW}
                   for i in range(1, n + 1)])
        c.execute(text("INSERT INTO network_interface (asset_id, name, mac, ip_addresses) VALUES (:a, 'eth0', :m, '[]')"),
                  [{"a": i, "m": mac(i)} for i in range(1, n + 1)])
        if engine.dialect.name == "postgresql":
            for table in ("asset", "network_interface", "manufacturer"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            c.execute(text("ANALYZE"))
    engine.dispose()


def observations(n_assets: int, n: int) -> list[dict]:
    out = []
    for k in range(n):
        i = 1 + (k * 7919) % n_assets
        common = {"ip_addresses": [f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}"], "os_name": "Windows",
                  "os_version": "11", "open_ports": [{"port": 445, "protocol": "tcp", "service": "microsoft-ds"}]}
        if k % 10 < 5:
            out.append({"serial_number": f"SN{i:09d}", "manufacturer": "Dell Inc.", "hostname": f"host-{i}", **common})
        elif k % 10 < 7:
            out.append({"macs": [mac(i)], **common})
        else:
            out.append({"macs": [mac(k, 0x99)], "hostname": f"new-{k}", **common})
    return out


def floor(url: str, body: bytes) -> float:
    """JSON decode plus a raw executemany upsert of one row per observation, on the same database."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("CREATE TABLE IF NOT EXISTS floor_obs (k VARCHAR(64) PRIMARY KEY, ip VARCHAR(45), "
                       "host VARCHAR(255), seen VARCHAR(32))"))
    raw = engine.raw_connection()
    try:
        t0 = time.perf_counter()
        payload = json.loads(body)
        rows = [(o.get("serial_number") or o["macs"][0], o["ip_addresses"][0], o.get("hostname"), NOW)
                for o in payload["observations"]]
        cur = raw.cursor()
        ph = "%s" if engine.dialect.name == "postgresql" else "?"
        cur.executemany(f"INSERT INTO floor_obs (k, ip, host, seen) VALUES ({ph}, {ph}, {ph}, {ph}) ON CONFLICT (k) "
                        "DO UPDATE SET ip = excluded.ip, host = excluded.host, seen = excluded.seen", rows)
        raw.commit()
        return time.perf_counter() - t0
    finally:
        raw.close()
        engine.dispose()


def capture(url: str, body: bytes) -> list[tuple[str, object, bool]]:
    """Post the batch to the app in process on `url`; return every statement it sent to the driver."""
    from inventory import create_app

    app = create_app({"DATABASE_URL": url})
    token = admin_token(url)
    sent: list[tuple[str, object, bool]] = []
    with app.app_context():
        from inventory.extensions import db

        engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _record(_conn, _cursor, statement, parameters, _context, executemany):
            sent.append((statement, parameters, executemany))

        r = app.test_client().post("/api/v1/observations", data=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        assert r.status_code == 200, r.text[:500]
        event.remove(engine, "before_cursor_execute", _record)
        engine.dispose()
    return sent


def replay(url: str, body: bytes, sent: list[tuple[str, object, bool]]) -> float:
    """The same-writes floor: JSON decode of the body plus the recorded statements on the raw connection."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        t0 = time.perf_counter()
        json.loads(body)
        cur = raw.cursor()
        # capture() imported inventory, whose connect hook gives every engine the app's SQLite PRAGMAs (WAL, ...)
        if engine.dialect.name == "sqlite":  # and, as the app, one explicit transaction
            raw.driver_connection.isolation_level = None
            cur.execute("BEGIN IMMEDIATE")
        for statement, parameters, many in sent:
            if statement.startswith("BEGIN"):  # the app's own, on this and on the token lookup's connection
                continue
            if many:
                cur.executemany(statement, parameters)
            else:
                cur.execute(statement, parameters)
            if cur.description is not None:
                cur.fetchall()
        raw.commit()
        return time.perf_counter() - t0
    finally:
        raw.close()
        engine.dispose()


def copy_of(url: str, suffix: str) -> tuple[str, callable]:
    """A copy of the database at `url` (a file copy, or a PostgreSQL template copy), and how to drop it."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        target = path.with_name(f"{path.stem}_{suffix}{path.suffix}")

        remove_sqlite(target)
        shutil.copyfile(path, target)
        return f"sqlite:///{target}", lambda: remove_sqlite(target)
    base, name = url.rsplit("/", 1)
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}_{suffix} TEMPLATE {name}"))

    def drop():
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name}_{suffix} WITH (FORCE)"))
        admin.dispose()
    return f"{base}/{name}_{suffix}", drop


def same_writes_floor(url: str, body: bytes) -> tuple[float, int]:
    """Best of three replays of what the app sent for this batch, each on a fresh copy of the register."""
    capture_url, drop = copy_of(url, "capture")
    try:
        sent = capture(capture_url, body)
    finally:
        drop()
    best = float("inf")
    for k in range(3):
        replay_url, drop = copy_of(url, f"replay{k}")
        try:
            best = min(best, replay(replay_url, body, sent))
        finally:
            drop()
    return best, sum(len(p) if many else 1 for _, p, many in sent)


def run(name: str, url: str, n_assets: int, n_obs: int) -> None:
    t0 = time.perf_counter()
    fill(url, n_assets)
    load = time.perf_counter() - t0
    body = json.dumps({"source": "import", "scanner": "bench", "scan_id": f"bench-{time.time_ns()}", "batch": 0,
                       "complete": False, "scope": [], "observations": observations(n_assets, n_obs)}).encode()
    same, rows = same_writes_floor(url, body)  # on copies: before the register takes the push
    token = admin_token(url)
    server = Server("wsgi:app", {"INVENTORY_DATABASE_URL": url})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        server.wait("/api/v1/health", {})
        times, replies = [], []
        for _ in range(2):  # first push, then the same batch again (a replay)
            t = time.perf_counter()
            r = requests.post(f"{server.base}/api/v1/observations", data=body, headers=headers, timeout=600)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, r.text[:500]
            replies.append(r.json())
    finally:
        server.stop()
    f = min(floor(url, body) for _ in range(3))
    first = replies[0]
    print(f"{name:<10} register {n_assets} (loaded in {load:.1f} s), batch of {n_obs} ({len(body) / 1e6:.1f} MB): "
          f"matched {first['matched']}, to triage {first['created']}, conflicts {first['conflicts']}")
    print(f"{'':<10} first push {times[0]:.2f} s   replay {times[1]:.3f} s   floor {f:.3f} s   "
          f"ratio first/floor {times[0] / f:.1f}x   replay/floor {times[1] / f:.2f}x   (thin floor)")
    print(f"{'':<10} same-writes floor {same:.3f} s ({rows} statement rows replayed raw)   "
          f"ratio first/same-writes {times[0] / same:.2f}x   replay/same-writes {times[1] / same:.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--observations", type=int, default=10_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a server where the bench may create and drop its own database")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    run("sqlite", migrated_sqlite(OUT / "ingest.db"), args.assets, args.observations)
    if args.pg:
        name = f"bench_ingest_{int(time.time())}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        try:
            subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, check=True,
                           capture_output=True, env={**__import__("os").environ, "INVENTORY_DATABASE_URL": url})
            run("postgresql", url, args.assets, args.observations)
        finally:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()


if __name__ == "__main__":
    main()
