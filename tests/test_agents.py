"""Inventory agents already on the fleet, speaking their own protocols to a live server.

The real fusioninventory-agent and ocsinventory-agent (Debian packages) run here against gunicorn on
loopback; recorded payloads from such runs (tests/formats/fixtures) cover the rest quickly.
"""

import base64
import gzip
import json
import os
import subprocess
import zlib

import pytest

from inventory.extensions import db
from inventory.models import Asset, Change, IngestBatch, NetworkInterface, TriageItem
from inventory.normalize import is_identity_mac
from tests.factories import create_employee
from tests.formats.conftest import fixture_bytes, raw_rows, raw_text
from tests.formats.test_live_agents import _fusion_command, _links, _ocs_command, _run

ZLIB = {"Content-Type": "application/x-compress-zlib"}


def _post(api, token, path, body, headers=ZLIB):
    return api.client.post(f"/agent/{token}/{path}", data=body, headers=headers)


def _reply(r) -> bytes:
    return zlib.decompress(r.data)


def test_prolog_then_inventory_creates_one_asset_and_a_second_run_updates_it(api, tokens):
    t = tokens["scanner"]
    r = _post(api, t, "ocsinventory", zlib.compress(fixture_bytes("fusion-prolog.xml")))
    assert r.status_code == 200 and b"<RESPONSE>SEND</RESPONSE>" in _reply(r)
    body = fixture_bytes("fusion-inventory.zlib")
    r = _post(api, t, "ocsinventory", body)
    assert r.status_code == 200, _reply(r)
    xml = zlib.decompress(body)
    asset = db.session.query(Asset).one()
    assert asset.serial_number == raw_text(xml, "CONTENT/BIOS/SSN").upper()
    assert asset.device_uuid == raw_text(xml, "CONTENT/HARDWARE/UUID").lower()
    assert asset.hostname == raw_text(xml, "CONTENT/HARDWARE/NAME").lower()
    assert asset.observed["agent"]["hardware"]["memory_mb"] == int(raw_text(xml, "CONTENT/HARDWARE/MEMORY"))
    cards = {i["mac"] for i in asset.observed["agent"]["interfaces"]}
    assert cards and cards <= {r["MACADDR"].lower() for r in raw_rows(xml, "NETWORKS")}
    assert asset.last_seen_source == "agent" and asset.model_id is not None
    assert asset.locked_fields == []  # nothing a person chose
    # The same payload again is a replay; a new inventory of the same machine updates, never duplicates.
    assert _post(api, t, "ocsinventory", body).status_code == 200
    changed = xml.replace(b"</CONTENT>", b"<SOFTWARES><NAME>new-tool</NAME><VERSION>1</VERSION></SOFTWARES></CONTENT>")
    assert _post(api, t, "ocsinventory", zlib.compress(changed)).status_code == 200
    db.session.rollback()
    assert db.session.query(Asset).count() == 1 and db.session.query(TriageItem).count() == 0
    assert db.session.query(IngestBatch).count() == 2


def test_basic_auth_and_roles(api, tokens):
    prolog = zlib.compress(fixture_bytes("fusion-prolog.xml"))
    r = api.client.post("/agent/ocsinventory", data=prolog, headers=ZLIB)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Basic")
    basic = base64.b64encode(f"agent:{tokens['scanner']}".encode()).decode()
    r = api.client.post("/agent/ocsinventory", data=prolog, headers={**ZLIB, "Authorization": f"Basic {basic}"})
    assert r.status_code == 200
    assert _post(api, tokens["it"], "ocsinventory", prolog).status_code == 403
    assert _post(api, "inv_not-a-token", "ocsinventory", prolog).status_code == 401


@pytest.mark.parametrize("body, status", [
    (zlib.compress(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   b"<REQUEST><DEVICEID>d</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT>&x;</CONTENT></REQUEST>"), 400),
    (zlib.compress(b"<REQUEST>" + b"<A>" * 10), 400),
    (zlib.compress(b" " * (21 * 1024 * 1024)), 413),
    (zlib.compress(fixture_bytes("fusion-inventory.xml"))[:-40], 400),
    (b"not zlib at all", 400),
])
def test_hostile_payloads_are_refused_and_change_nothing(api, tokens, body, status):
    before = db.session.query(Change).count()
    r = _post(api, tokens["scanner"], "ocsinventory", body)
    assert r.status_code == status
    assert b"<ERROR>" in _reply(r)
    db.session.rollback()
    assert db.session.query(Asset).count() == 0 and db.session.query(Change).count() == before


def test_glpi_agent_json(api, tokens):
    t = tokens["scanner"]
    contact = json.dumps({"action": "contact", "deviceid": "pc-1"}).encode()
    r = _post(api, t, "glpi", contact, {"Content-Type": "application/json"})
    assert r.status_code == 200 and "inventory" in r.json["tasks"]
    doc = json.loads(fixture_bytes("glpi-inventory.json"))
    r = _post(api, t, "glpi", gzip.compress(json.dumps(doc).encode()), {"Content-Type": "application/x-compress-gzip"})
    assert r.status_code == 200 and r.json["status"] == "ok", r.json
    asset = db.session.query(Asset).one()
    assert asset.serial_number == doc["content"]["bios"]["ssn"].upper()
    r = _post(api, t, "glpi", b"{broken", {"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["status"] == "error"


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("body", [
    b"[" * 100_000,  # nesting deeper than any parser's recursion
    b'{"action": "inventory", "content": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b"[1, 2]", b'"inventory"', b"null", b"42",  # JSON, but not an object
    b"\xff\xfe{}",  # not UTF-8
    b'{"action": ["inventory"], "content": {}}',  # wrong types where strings belong
    b'{"action": "inventory", "deviceid": {"x": 1}, "content": []}',
    b'{"action": "inventory", "content": "everything"}',
    b'{"action": "inventory", "itemtype": 7, "content": {}}',
    b'{"action": "inventory", "itemtype": "Toaster", "content": {"bios": {}}}',
    b'{"action": "prolog", "deviceid": "pc-1"}',
])
def test_hostile_glpi_payloads_get_the_agents_error_and_change_nothing(api, tokens, body):
    before = db.session.query(Change).count()
    r = _post(api, tokens["scanner"], "glpi", body, JSON)
    # 400 (not an inventory) or 422 (an inventory without an identifier): the JSON status "error" the agent logs.
    assert r.status_code in (400, 422) and r.json["status"] == "error" and r.json["message"], r.data[:200]
    db.session.rollback()
    assert db.session.query(Asset).count() == 0 and db.session.query(IngestBatch).count() == 0
    assert db.session.query(Change).count() == before


def test_glpi_sections_of_the_wrong_shape_are_ignored_not_fatal(api, tokens):
    """A buggy agent's section (a string, numbers, nested lists) is skipped; the rest of the inventory counts."""
    doc = json.loads(fixture_bytes("glpi-inventory.json"))
    doc["content"].update({"memories": "lots", "networks": [[1, 2], None, 3], "hardware": [7, {"memory": []}],
                           "softwares": [{"name": ["x"], "version": {"v": 1}}]})
    r = _post(api, tokens["scanner"], "glpi", json.dumps(doc).encode(), JSON)
    assert r.status_code == 200 and r.json["status"] == "ok", r.json
    assert db.session.query(Asset).one().serial_number == doc["content"]["bios"]["ssn"].upper()


def test_a_raw_body_over_the_cap_gets_the_agents_413(api, tokens, app):
    """Past MAX_CONTENT_LENGTH (20 MB) before any decompression: still the zlib <REPLY><ERROR> agents read."""
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    r = _post(api, tokens["scanner"], "ocsinventory", body)
    assert r.status_code == 413 and r.mimetype == "application/x-compress-zlib"
    assert b"<ERROR>payload larger than" in _reply(r)
    r = _post(api, tokens["scanner"], "glpi", body, JSON)
    assert r.status_code == 413 and r.json["status"] == "error"
    db.session.rollback()
    assert db.session.query(IngestBatch).count() == 0


def test_agents_go_through_the_central_policy_limiter_and_log(api, tokens, app, caplog):
    """Roles from auth.POLICY["agents"]; refusals logged like the API's; the token's write limit answered 429
    with Retry-After in each agent's own form."""
    import logging

    from inventory.auth import POLICY, limiter

    prolog = zlib.compress(fixture_bytes("fusion-prolog.xml"))
    contact = json.dumps({"action": "contact", "deviceid": "pc-1"}).encode()
    assert POLICY["agents"][1] == {"admin", "scanner"}
    caplog.set_level(logging.WARNING)
    for role in ("it", "hr", "auditor"):
        r = _post(api, tokens[role], "ocsinventory", prolog)
        assert r.status_code == 403 and b"<ERROR>Role" in _reply(r)
        assert _post(api, tokens[role], "glpi", contact, JSON).json["status"] == "error"
    assert _post(api, "inv_not-a-token", "glpi", contact, JSON).status_code == 401
    bearer = {**ZLIB, "Authorization": f"Bearer {tokens['scanner']}"}
    assert api.client.post("/agent/ocsinventory", data=prolog, headers=bearer).status_code == 200
    messages = [r.getMessage() for r in caplog.records]
    assert any("permission denied: token:test-it (it) POST /agent/" in m for m in messages), messages
    assert any("agent token refused: POST /agent/inv_not-a-token/glpi" in m for m in messages), messages

    limiter._windows.clear()
    app.config["WRITE_RATE_LIMIT"] = 2
    try:
        codes = [_post(api, tokens["scanner"], "ocsinventory", prolog).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        r = _post(api, tokens["scanner"], "ocsinventory", prolog)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and b"<ERROR>Too many" in _reply(r)
        r = _post(api, tokens["scanner"], "glpi", contact, JSON)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and r.json["status"] == "error"
        # The same budget as the token's API writes.
        assert api.post("/observations", {}, role="scanner").status_code == 429
        assert _post(api, tokens["admin"], "ocsinventory", prolog).status_code == 200  # another token
    finally:
        app.config["WRITE_RATE_LIMIT"] = 1200
        limiter._windows.clear()


@pytest.fixture
def suggest_after_one_day(monkeypatch):
    """The live server suggests an assignment after one day of use (it reads the environment at start)."""
    monkeypatch.setenv("INVENTORY_USAGE_SUGGEST_DAYS", "1")


def test_real_agents_against_a_live_server(suggest_after_one_day, live_server, api, tmp_path):
    """fusioninventory-agent twice (with an injected BIOS serial and UUID) and ocsinventory-agent with basic auth."""
    if os.geteuid() != 0:
        pytest.fail("the agents need root here (private mounts, /var/lib state), as CI has")
    tokens = api.tokens
    jane = create_employee(name="Jane Doe", logins=["jdoe"])  # the injected content names CORP\jdoe
    secret_url = f"{live_server}/agent/{tokens['scanner']}/ocsinventory"
    for run in range(2):
        state = tmp_path / f"fusion-{run}"
        state.mkdir()
        _run(_fusion_command(secret_url, state))
    db.session.rollback()
    assets = db.session.query(Asset).all()
    assert len(assets) == 1, [(a.serial_number, a.hostname) for a in assets]
    machine = assets[0]
    additional = fixture_bytes("fusion-additional-content.xml")
    assert machine.serial_number == raw_text(additional, "CONTENT/BIOS/SSN").upper()
    assert machine.device_uuid == raw_text(additional, "CONTENT/HARDWARE/UUID").lower()
    assert machine.observed["agent"]["hardware"]["memory_mb"] > 0
    assert machine.observed["agent"]["interfaces"], "the machine's network cards"
    assert db.session.query(IngestBatch).count() == 2

    # Its installed Debian packages are searchable, with the versions dpkg knows.
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "fusioninventory-agent"], capture_output=True,
                             text=True, check=True).stdout
    found = api.get(f"/software?name=FusionInventory-Agent&version={version}").json["items"]
    assert [i["asset_id"] for i in found] == [machine.id]
    # The user it reports resolves to Jane: a suggestion, which accepted checks the machine out to her.
    (suggestion,) = api.get("/suggestions?status=open").json["items"]
    assert (suggestion["asset_id"], suggestion["employee_id"]) == (machine.id, jane.id)
    assert suggestion["evidence"]["logins"] == ["CORP\\jdoe"]
    accepted = api.post(f"/suggestions/{suggestion['id']}/accept", {}, role="it")
    assert accepted.status_code == 200, accepted.json
    holding = api.get(f"/employees/{jane.id}/assets").json["items"]
    assert [a["id"] for a in holding] == [machine.id]
    assert api.get(f"/assets/{machine.id}/assignments").json["items"][0]["source"] == "discovery"

    # ocsinventory-agent, with basic auth, twice. It reads no BIOS serial or UUID in this VM (no DMI tables here:
    # dmidecode finds none), so serial and UUID cannot be asserted from it. Its MACs are all locally administered
    # (02:fc:..., ifb*), which the server never takes as identities: it is the same machine by its hostname.
    fusion_id, fusion_seen = machine.agent_id, machine.last_seen_at
    state = tmp_path / "ocs"
    state.mkdir()
    ocs = _ocs_command(f"{live_server}/agent/ocsinventory", state)
    b64 = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731 - this agent wants them base64-encoded
    for run in range(2):
        _run([*ocs, f"--user={b64('agent')}", f"--password={b64(tokens['scanner'])}", "--realm=inventory"])
        db.session.rollback()
        assert db.session.query(IngestBatch).count() == 3 + run
        assert db.session.query(Asset).count() == 1 and db.session.query(TriageItem).count() == 0
    (conf,) = state.rglob("ocsinv.conf")  # where the agent keeps the device id it made up on its first run
    ocs_id = raw_text(conf.read_bytes(), "DEVICEID")
    batches = db.session.query(IngestBatch).order_by(IngestBatch.id).all()
    assert [b.scan_id.split(":")[0] for b in batches[-2:]] == [ocs_id, ocs_id]  # one agent id, kept across runs
    machine = db.session.get(Asset, machine.id)
    db.session.refresh(machine)
    # The agent id is fill-only: the first agent's id stays, OCS's own identifies its batches.
    assert machine.agent_id == fusion_id != ocs_id
    assert machine.last_seen_source == "agent" and machine.last_seen_at > fusion_seen
    agent = machine.observed["agent"]
    # What OCS reported, not FusionInventory: it lists every Ethernet link, virtual ones (which Fusion skips) too.
    links = _links()
    assert set(links) <= set(agent["macs"]) and any(links.values()), (links, agent["macs"])
    identity = {mac for mac in links if is_identity_mac(mac)}
    assert identity <= {i.mac for i in db.session.query(NetworkInterface).filter_by(asset_id=machine.id)}
    meminfo = dict(line.split(":", 1) for line in open("/proc/meminfo").read().splitlines())
    mem_mb = int(meminfo["MemTotal"].split()[0]) // 1024
    assert abs(agent["hardware"]["memory_mb"] - mem_mb) <= mem_mb * 0.05, (agent["hardware"], mem_mb)
    release = dict(line.split("=", 1) for line in open("/etc/os-release").read().splitlines() if "=" in line)
    assert machine.os_name.startswith(release["NAME"].strip('"'))
    assert machine.os_version == release["VERSION_ID"].strip('"')
