"""Consistent online backups with a manifest, restore into an empty database, retention."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from ..extensions import db


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return _counts(conn)


def _counts(conn) -> dict[str, int]:
    names = sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")
    return {n: conn.execute(select(func.count()).select_from(text(f'"{n}"'))).scalar_one() for n in names}


def _revision(engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _pg_args(url) -> tuple[list[str], dict]:
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    return args, env


def create(directory: Path, keep: int) -> Path:
    """Back the database up into directory; return the manifest's path. Older backups beyond keep are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    url = make_url(engine.url)
    if url.get_backend_name() == "sqlite":
        target = directory / f"inventory-{stamp}.sqlite3"
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)  # SQLite's online backup API: a consistent copy while writers go on
        finally:
            dest.close()
            source.close()
        counts = row_counts(create_engine(f"sqlite:///{target}"))
    else:
        target = directory / f"inventory-{stamp}.pgdump"
        args, env = _pg_args(url)
        # One snapshot for both: the counts in the manifest are those of the dump, however busy the database.
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = _counts(conn)
            done = subprocess.run(["pg_dump", *args, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f",
                                   str(target), url.database], env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    manifest = {
        "file": target.name, "created_at": datetime.now(UTC).isoformat(), "dialect": url.get_backend_name(),
        "schema_revision": _revision(engine), "row_counts": counts, "sha256": _sha256(target),
        "size_bytes": target.stat().st_size,
    }
    path = target.with_suffix(target.suffix + ".manifest.json")
    path.write_text(json.dumps(manifest, indent=2))
    for old in list_backups(directory)[keep:]:
        (directory / old["file"]).unlink(missing_ok=True)
        (directory / (old["file"] + ".manifest.json")).unlink(missing_ok=True)
    return path


def list_backups(directory: Path) -> list[dict]:
    """Manifests in directory, newest first."""
    if not directory.is_dir():
        return []
    found = [json.loads(p.read_text()) for p in directory.glob("*.manifest.json")]
    return sorted(found, key=lambda m: m["created_at"], reverse=True)


def restore(manifest_path: Path) -> dict:
    """Restore a backup into the configured database, which must be empty; verify it against its manifest."""
    manifest = json.loads(manifest_path.read_text())
    backup = manifest_path.parent / manifest["file"]
    if not backup.is_file():
        raise BackupError(f"The backup file {backup} is missing.")
    if _sha256(backup) != manifest["sha256"]:
        raise BackupError("The backup file does not match its manifest's checksum: it is damaged.")
    engine = db.engine
    url = make_url(engine.url)
    if url.get_backend_name() != manifest["dialect"]:
        raise BackupError(f"A {manifest['dialect']} backup cannot be restored into {url.get_backend_name()}.")
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
    if tables:
        raise BackupError("The target database is not empty: restore only into an empty database.")
    engine.dispose()
    if manifest["dialect"] == "sqlite":
        shutil.copyfile(backup, url.database)
    else:
        args, env = _pg_args(url)
        done = subprocess.run(["pg_restore", *args, "--no-owner", "-d", url.database, str(backup)],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    counts = row_counts(engine)
    if counts != manifest["row_counts"] or _revision(engine) != manifest["schema_revision"]:
        raise BackupError(f"Restored data does not match the manifest: {counts} != {manifest['row_counts']}")
    return manifest
