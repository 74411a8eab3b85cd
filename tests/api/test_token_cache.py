"""Valid tokens are cached briefly per process: revocation stays immediate here and bounded elsewhere."""

import os
import subprocess
import sys
import time
from datetime import timedelta

from inventory.extensions import db
from inventory.models.base import utcnow
from inventory.services.context import Context
from inventory.services.tokens import create_token, revoke_token

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_revoked_in_this_process_is_refused_at_once(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_CACHE_SECONDS", 60)
    assert api.get("/assets", role="it").status_code == 200
    assert api.get("/assets", role="it").status_code == 200  # now served from the cache
    revoke_token("test-it", Context("test"))
    db.session.commit()
    assert api.get("/assets", role="it").status_code == 401
    assert api.get("/assets", role="auditor").status_code == 200


def test_revoked_by_another_process_is_refused_within_the_cache_bound(app, api, database_url, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_CACHE_SECONDS", 1)
    assert api.get("/assets", role="it").status_code == 200
    env = {**os.environ, "INVENTORY_DATABASE_URL": database_url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "tokens", "revoke", "--name", "test-it"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    revoked_at = time.monotonic()
    while api.get("/assets", role="it").status_code == 200:
        assert time.monotonic() - revoked_at < 1.5, "a token revoked elsewhere was still accepted after the bound"
        time.sleep(0.05)
    assert api.get("/assets", role="it").status_code == 401


def test_a_cached_token_is_refused_once_it_expires(app, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_CACHE_SECONDS", 60)
    expires = utcnow() + timedelta(seconds=1.5)
    _, secret = create_token("short", "auditor", Context("test"), expires)
    db.session.commit()
    client, headers = app.test_client(), {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/assets", headers=headers).status_code == 200
    time.sleep(max(0.0, (expires - utcnow()).total_seconds()) + 0.1)
    assert client.get("/api/v1/assets", headers=headers).status_code == 401


def test_cache_off_reads_the_token_every_time(app, api, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_CACHE_SECONDS", 0)
    assert api.get("/assets", role="it").status_code == 200
    with db.engine.begin() as conn:  # as another process would: no ORM events in this one
        conn.exec_driver_sql("UPDATE api_token SET revoked_at = created_at WHERE name = 'test-it'")
    assert api.get("/assets", role="it").status_code == 401
