"""The floor for bench/list_assets.py: the same asset page built with raw sqlite3 and json, no framework.

Served by the same gunicorn as the app, so the two differ only in what the application does per request.
It checks the bearer token with one indexed lookup, as any real API must, and answers the very same bytes as the
app for the same page (bench/list_assets.py checks that before it measures).
"""

import base64
import hashlib
import json
import os
import sqlite3
import threading
from datetime import UTC, datetime
from urllib.parse import parse_qs

DB = os.environ["BENCH_DB"]
_local = threading.local()

# The asset as the API shows it, in its field order; interfaces and assigned_to come from their own tables.
BEFORE = ("id, asset_tag, kind, status, model_id, manufacturer_id, serial_number, hostname, imei, phone_number, "
          "location_id, purchase_date, purchase_cost_cents, currency, supplier, order_number, warranty_end, notes, "
          "custom_fields").split(", ")
AFTER = ("locked_fields, device_uuid, agent_id, os_name, os_version, first_seen_at, last_seen_at, last_seen_source, "
         "missing_since, observed, observed_diff, created_at, updated_at").split(", ")
COLUMNS = ", ".join(BEFORE + AFTER)
JSON_COLUMNS = ("custom_fields", "locked_fields", "observed", "observed_diff")
TIME_COLUMNS = ("first_seen_at", "last_seen_at", "missing_since", "created_at", "updated_at")


def _time(value: str) -> str:
    return datetime.fromisoformat(value).replace(tzinfo=UTC).isoformat()


def _conn() -> sqlite3.Connection:
    if not hasattr(_local, "conn"):
        _local.conn = sqlite3.connect(DB)
    return _local.conn


def app(environ, start_response):
    conn = _conn()
    token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    digest = hashlib.sha256(token.encode()).hexdigest()
    if conn.execute("SELECT id FROM api_token WHERE token_hash = ?", (digest,)).fetchone() is None:
        start_response("401 Unauthorized", [("Content-Type", "application/json")])
        return [b'{"code": 401}']
    qs = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    limit = int(qs.get("limit", 50))
    where, params = [], []
    for key in ("kind", "status"):
        if key in qs:
            where.append(f"{key} = ?")
            params.append(qs[key])
    if "cursor" in qs:
        c = qs["cursor"]
        where.append("id > ?")
        params.append(int(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)).decode().split(":")[1]))
    sql = f"SELECT {COLUMNS} FROM asset {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id LIMIT ?"
    rows = conn.execute(sql, (*params, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    ifaces: dict[int, list] = {}
    for r in conn.execute(f"SELECT asset_id, mac, name, ip_addresses FROM network_interface WHERE asset_id IN ({marks})"
                          " ORDER BY id", ids):
        ifaces.setdefault(r[0], []).append({"mac": r[1], "name": r[2], "ip_addresses": json.loads(r[3])})
    holders = dict(conn.execute(f"SELECT asset_id, employee_id FROM assignment WHERE asset_id IN ({marks}) "
                                "AND checked_in_at IS NULL", ids).fetchall())
    items = []
    split = len(BEFORE)
    for r in rows:
        item = dict(zip(BEFORE, r[:split], strict=True))
        item["interfaces"] = ifaces.get(r[0], [])
        item["assigned_to"] = holders.get(r[0])
        item.update(zip(AFTER, r[split:], strict=True))
        for key in JSON_COLUMNS:
            item[key] = json.loads(item[key])
        for key in TIME_COLUMNS:
            if item[key] is not None:
                item[key] = _time(item[key])
        items.append(item)
    nxt = base64.urlsafe_b64encode(f"k1:{ids[-1]}".encode()).decode().rstrip("=") if more else None
    body = json.dumps({"items": items, "next_cursor": nxt}, separators=(",", ":")).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
