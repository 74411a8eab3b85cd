"""Test set-up: every database test runs on SQLite and, when configured, on PostgreSQL.

INVENTORY_TEST_DATABASE_URL adds PostgreSQL; INVENTORY_TEST_STRICT=1 turns any skip into a failure.
"""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
# Tests do not time things: a property test is about results, and a busy CI machine must not fail it on speed.
settings.register_profile("inventory", deadline=None)
settings.load_profile("inventory")
PG_URL = os.environ.get("INVENTORY_TEST_DATABASE_URL")
STRICT = os.environ.get("INVENTORY_TEST_STRICT") == "1"
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_configure(config):
    if STRICT and not PG_URL:
        raise pytest.UsageError("INVENTORY_TEST_STRICT=1 needs INVENTORY_TEST_DATABASE_URL (PostgreSQL).")


def pytest_report_header(config):
    if PG_URL:
        return f"database tests on: SQLite and PostgreSQL ({PG_URL.rsplit('@', 1)[-1]})"
    return "database tests on: SQLite only (set INVENTORY_TEST_DATABASE_URL to add PostgreSQL)"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under INVENTORY_TEST_STRICT=1: {report.longrepr}"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated, empty database: a SQLite file, or the PostgreSQL database CI created."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = PG_URL
        _reset_postgres(url)
    from flask_migrate import upgrade

    from inventory import create_app

    app = create_app({"DATABASE_URL": url, "TESTING": True})
    with app.app_context():
        upgrade()
        from inventory.extensions import db

        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def _app(database_url):
    from inventory import create_app

    return create_app({"DATABASE_URL": database_url, "TESTING": True})


@pytest.fixture
def app(_app):
    """The app with an empty database and an app context."""
    from inventory.extensions import db

    with _app.app_context():
        _truncate(db)
        yield _app
        db.session.remove()


def _truncate(db) -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    # The change log is append-only (database triggers): tests, and only tests, lift that to start clean.
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        return
    raw = db.engine.raw_connection()  # SQLite: self-references (location.parent_id) need the checks off
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("BEGIN")
        triggers = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'change'"
                               ).fetchall()
        for name, _ in triggers:
            cur.execute(f'DROP TRIGGER "{name}"')
        for name in tables:
            cur.execute(f'DELETE FROM "{name}"')
        for _, sql in triggers:
            cur.execute(sql)
        cur.execute("COMMIT")
        cur.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


@pytest.fixture
def tokens(app):
    """One bearer token per role."""
    from inventory.extensions import db
    from inventory.models.base import ROLES
    from inventory.services.context import Context
    from inventory.services.tokens import create_token

    made = {role: create_token(f"test-{role}", role, Context("test"))[1] for role in ROLES}
    db.session.commit()
    return made


class ApiClient:
    """The test client speaking to /api/v1 with a role's token."""

    def __init__(self, client, tokens):
        self.client, self.tokens = client, tokens

    def call(self, method, path, role="admin", **kw):
        from inventory.extensions import db

        # The request shares this thread's app context, hence the test's session: end the test's own
        # read transaction first, as a real request would start with none.
        db.session.rollback()
        headers = kw.pop("headers", {})
        if role:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        url = path if path.startswith("/api/") or path.startswith("http") else "/api/v1" + path
        return self.client.open(url, method=method, headers=headers, **kw)

    def get(self, path, role="admin", **kw):
        return self.call("GET", path, role, **kw)

    def post(self, path, json=None, role="admin", **kw):
        return self.call("POST", path, role, json=json, **kw)

    def patch(self, path, json=None, role="admin", **kw):
        return self.call("PATCH", path, role, json=json, **kw)

    def delete(self, path, role="admin", **kw):
        return self.call("DELETE", path, role, **kw)


@pytest.fixture
def api(app, tokens):
    return ApiClient(app.test_client(), tokens)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, proc=None) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def _serve(database_url: str, *options: str, env: dict | None = None, log: Path | None = None):
    """gunicorn with options serving the test database on a free loopback port; yields its base URL.
    With log, the server's error log (tracebacks included) goes to that file."""
    port = free_port()
    env = {**os.environ, "INVENTORY_DATABASE_URL": database_url, **(env or {})}
    stderr = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 - closed below, after the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *options, "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/api/v1/health", proc=proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)
        if log:
            stderr.close()


@pytest.fixture
def live_server(app, database_url):
    """gunicorn (2 sync workers, as `make run`) serving the test database on a free loopback port; its base URL."""
    yield from _serve(database_url, "--workers", "2")


CONCURRENT_THREADS = 20


@dataclass
class Server:
    url: str
    log: Path  # the server's error log: read it after the requests


@pytest.fixture
def concurrent_server(app, database_url, tmp_path):
    """gunicorn with 2 gthread workers of CONCURRENT_THREADS threads each: that many requests are in flight at once
    even if they all land on one worker, each on its own database connection."""
    pool = json.dumps({"pool_size": CONCURRENT_THREADS, "max_overflow": 5})  # a connection per thread, none waits
    log = tmp_path / "gunicorn.log"
    for url in _serve(database_url, "--workers", "2", "--worker-class", "gthread", "--threads",
                      str(CONCURRENT_THREADS), env={"INVENTORY_SQLALCHEMY_ENGINE_OPTIONS": pool}, log=log):
        yield Server(url, log)
