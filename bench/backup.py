"""Backup and restore of a 100k-asset register, on SQLite and PostgreSQL, next to the raw tools.

Run: .venv/bin/python bench/backup.py [--assets 100000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
The floor is, in the same run, the bare copy: sqlite3's backup API on SQLite, pg_dump -Fc / pg_restore on
PostgreSQL, without the manifest (row counts, checksum) and verification that ours adds.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, ROOT, migrated_sqlite  # noqa: E402
from bench.ingest import fill  # noqa: E402


def flask(url: str, *args: str) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, "INVENTORY_DATABASE_URL": url})
    return time.perf_counter() - t, (out.stdout.strip().splitlines() or [""])[-1]


def floor_sqlite(url: str, work: Path) -> tuple[float, float]:
    t = time.perf_counter()
    src, dst = sqlite3.connect(make_url(url).database), sqlite3.connect(work / "floor.db")
    src.backup(dst)
    src.close()
    dst.close()
    copy = time.perf_counter() - t
    t = time.perf_counter()
    back, dst = sqlite3.connect(work / "floor.db"), sqlite3.connect(work / "floor-restored.db")
    back.backup(dst)
    back.close()
    dst.close()
    return copy, time.perf_counter() - t


def floor_pg(url: str, work: Path, empty: str) -> tuple[float, float]:
    u = make_url(url)
    args = ["-h", u.host, "-p", str(u.port or 5432), "-U", u.username]
    t = time.perf_counter()
    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(work / "floor.pgdump"), u.database], check=True)
    dump = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run(["pg_restore", *args, "--no-owner", "-d", make_url(empty).database, str(work / "floor.pgdump")],
                   check=True)
    return dump, time.perf_counter() - t


def run(name: str, url: str, empty_urls: list[str], n: int) -> None:
    fill(url, n)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # What a command costs before it does anything (interpreter, imports, app): timed on its own, so the
        # ratios below compare the backup's own work with the floor's.
        startup = min(flask(url, "backup", "list", "--dir", str(work / "none"))[0] for _ in range(3))
        ours_backup, manifest = flask(url, "backup", "create", "--to", str(work / "ours"))
        ours_restore, _ = flask(empty_urls[0], "backup", "restore", manifest)
        if name == "sqlite":
            floor_backup, floor_restore = floor_sqlite(url, work)
        else:
            floor_backup, floor_restore = floor_pg(url, work, empty_urls[1])
        size = sum(p.stat().st_size for p in (work / "ours").iterdir()) / 1e6
    work_backup, work_restore = max(ours_backup - startup, 1e-3), max(ours_restore - startup, 1e-3)
    print(f"{name:<10} {n} assets ({size:.0f} MB backup), command start-up {startup:.2f} s\n"
          f"{'':<10} create {ours_backup:.2f} s, its work {work_backup:.2f} s (floor {floor_backup:.2f} s, "
          f"{work_backup / floor_backup:.1f}x)\n"
          f"{'':<10} restore+verify {ours_restore:.2f} s, its work {work_restore:.2f} s (floor {floor_restore:.2f} s, "
          f"{work_restore / floor_restore:.1f}x)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "backup-restored.db").unlink(missing_ok=True)
    run("sqlite", migrated_sqlite(OUT / "backup.db"), [f"sqlite:///{OUT / 'backup-restored.db'}"], args.assets)
    if not args.pg:
        return
    stamp = int(time.time())
    names = [f"bench_backup_{stamp}", f"bench_restore_{stamp}", f"bench_floor_{stamp}"]
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    base = args.pg.rsplit("/", 1)[0]
    try:
        with admin.connect() as c:
            for db in names:
                c.execute(text(f"CREATE DATABASE {db}"))
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "INVENTORY_DATABASE_URL": f"{base}/{names[0]}"})
        run("postgresql", f"{base}/{names[0]}", [f"{base}/{names[1]}", f"{base}/{names[2]}"], args.assets)
    finally:
        with admin.connect() as c:
            for db in names:
                c.execute(text(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
