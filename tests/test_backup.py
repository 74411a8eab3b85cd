"""Backups: create online with a manifest, list, restore into an empty database; every table round-trips."""

import json
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from inventory import create_app
from inventory.extensions import db
from inventory.services.context import Context
from inventory.services.demo import seed


def _content(engine) -> dict:
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        return {t: conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1')).all() for t in tables}


@pytest.fixture
def empty_target(database_url, tmp_path):
    """An empty database of the same kind as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_backup_round_trip_restores_every_table(app, api, tmp_path, empty_target):
    seed(Context("test"))
    db.session.commit()
    api.post("/observations", {"source": "nmap", "scanner": "s", "scan_id": "1", "observations": [
        {"macs": ["00:14:22:01:00:01"], "ip_addresses": ["10.0.0.1"]}, {"hostname": "unknown-box"}]}, role="scanner")
    runner = app.test_cli_runner()
    db.session.remove()
    out = runner.invoke(args=["backup", "create", "--to", str(tmp_path / "b")])
    assert out.exit_code == 0, out.output
    manifest_path = out.output.strip().splitlines()[-1]
    manifest = json.loads(open(manifest_path).read())
    assert manifest["schema_revision"] and manifest["row_counts"]["asset"] == 9 and len(manifest["sha256"]) == 64
    assert manifest["row_counts"]["sighting"] >= 1 and manifest["row_counts"]["triage_item"] == 1
    listing = runner.invoke(args=["backup", "list", "--dir", str(tmp_path / "b")]).output
    assert manifest["file"] in listing

    target = create_app({"DATABASE_URL": empty_target, "TESTING": True})
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["backup", "restore", manifest_path])
        assert result.exit_code == 0, result.output
        assert "verified" in result.output
        assert _content(db.engine) == _content(create_engine(app.config["SQLALCHEMY_DATABASE_URI"]))
        # Restoring again into a database that now holds data is refused.
        again = target.test_cli_runner().invoke(args=["backup", "restore", manifest_path])
        assert again.exit_code == 1 and "not empty" in again.output
        db.engine.dispose()


def test_damaged_backup_is_refused_and_retention_keeps_the_newest(app, tmp_path, empty_target):
    runner = app.test_cli_runner()
    paths = [runner.invoke(args=["backup", "create", "--to", str(tmp_path)]).output.strip().splitlines()[-1]
             for _ in range(3)]
    app.config["BACKUP_KEEP"] = 2
    paths.append(runner.invoke(args=["backup", "create", "--to", str(tmp_path)]).output.strip().splitlines()[-1])
    kept = sorted(p.name for p in tmp_path.glob("*.manifest.json"))
    assert len(kept) == 2 and paths[-1].rsplit("/", 1)[-1] in kept
    manifest = json.loads(open(paths[-1]).read())
    backup = tmp_path / manifest["file"]
    backup.write_bytes(backup.read_bytes()[:-1] + b"x")
    target = create_app({"DATABASE_URL": empty_target, "TESTING": True})
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["backup", "restore", paths[-1]])
        assert result.exit_code == 1 and "checksum" in result.output
        db.engine.dispose()


def test_a_backup_taken_while_writers_work_restores_and_verifies(app, tmp_path, empty_target):
    """The manifest's row counts are those of the copy itself, not of the database a moment later."""
    writer_engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    stop, written = threading.Event(), []

    def write():
        while not stop.is_set():
            with writer_engine.begin() as conn:
                n = len(written)
                conn.execute(text("INSERT INTO department (name, created_at, updated_at) VALUES (:n, :t, :t)"),
                             {"n": f"busy-{n}", "t": "2026-01-01 00:00:00"})
            written.append(n)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        out = app.test_cli_runner().invoke(args=["backup", "create", "--to", str(tmp_path / "b")])
        while len(written) < 40:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
        writer_engine.dispose()
    assert out.exit_code == 0, out.output
    manifest_path = out.output.strip().splitlines()[-1]
    copied = json.loads(open(manifest_path).read())["row_counts"]["department"]
    assert 20 <= copied < len(written)
    target = create_app({"DATABASE_URL": empty_target, "TESTING": True})
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["backup", "restore", manifest_path])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
