"""Observation ingest through the API: decisions, idempotency, locked fields, sightings, triage, missing."""

import gzip
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from inventory.extensions import db
from inventory.models import Alert, Asset, Change, IngestBatch, NetworkInterface, Sighting, TriageItem
from tests.factories import create_asset, create_employee, create_model

NOW = datetime.now(UTC).replace(microsecond=0)


def batch(observations, scan_id="scan-1", n=0, **kw):
    return {"source": "nmap", "scanner": "scan-hq", "scan_id": scan_id, "batch": n, "complete": False,
            "scope": ["10.20.0.0/24"], "started_at": NOW.isoformat(), "finished_at": NOW.isoformat(),
            "observations": observations, **kw}


def push(api, body, role="scanner", **kw):
    return api.post("/observations", body, role=role, **kw)


def counts():
    return {m.__name__: db.session.query(m).count()
            for m in (Asset, TriageItem, Sighting, Change, IngestBatch, NetworkInterface, Alert)}


def test_unknown_hosts_go_to_triage_and_a_repush_changes_nothing(api):
    body = batch([{"ip_addresses": ["10.20.0.5"], "macs": ["00-14-22-01-23-45"], "vendor": "Dell",
                   "open_ports": [{"port": 22, "protocol": "tcp", "service": "ssh"}]},
                  {"ip_addresses": ["10.20.0.6"], "hostname": "printer-2"}])
    r = push(api, body)
    assert r.status_code == 200, r.json
    assert r.json["created"] == 2 and r.json["matched"] == 0 and r.headers["Idempotent-Replayed"] == "false"
    assert [d["decision"] for d in r.json["decisions"]] == ["triage", "triage"]
    items = api.get("/triage", role="it").json["items"]
    assert {i["identity_key"] for i in items} == {"mac:00:14:22:01:23:45", "host:printer-2"}
    before = counts()
    again = push(api, body)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_data() == r.get_data()
    assert counts() == before
    # The same hosts in the next scan refresh the same triage items: no duplicates.
    assert push(api, batch(body["observations"], scan_id="scan-2")).json["created"] == 2
    assert db.session.query(TriageItem).count() == 2
    assert {i.seen_count for i in db.session.query(TriageItem)} == {2}


def test_match_updates_observed_fields_but_not_locked_ones(api):
    model = create_model()
    a = create_asset(model_id=model.id, serial_number="5CG123", hostname="set-by-it")  # hostname locked
    b = create_asset(interfaces=[{"mac": "00:14:22:00:00:02"}])
    obs = [{"serial_number": "5cg123", "manufacturer": "Dell Inc.", "hostname": "lt-observed",
            "os_name": "Windows", "os_version": "11", "device_uuid": "4C4C4544-0042-3510-8052-B4C04F4A4E31",
            "macs": ["00:14:22:00:00:01"], "ip_addresses": ["10.20.0.7"]},
           {"macs": ["0014.2200.0002"], "ip_addresses": ["10.20.0.8"], "hostname": "b-host"}]
    r = push(api, batch(obs))
    assert r.status_code == 200, r.json
    assert [(d["decision"], d["rule"], d["asset_id"]) for d in r.json["decisions"]] == [
        ("updated", "serial", a.id), ("updated", "mac", b.id)]
    got = api.get(f"/assets/{a.id}").json
    assert got["hostname"] == "set-by-it"
    assert got["observed_diff"]["hostname"]["value"] == "lt-observed"
    assert (got["os_name"], got["os_version"]) == ("Windows", "11")
    assert got["device_uuid"] == "4c4c4544-0042-3510-8052-b4c04f4a4e31"
    assert got["interfaces"] == [{"mac": "00:14:22:00:00:01", "name": None, "ip_addresses": ["10.20.0.7"]}]
    assert got["last_seen_at"] is not None and got["last_seen_source"] == "nmap"
    got_b = api.get(f"/assets/{b.id}").json
    assert got_b["hostname"] == "b-host"
    assert got_b["interfaces"][0]["ip_addresses"] == ["10.20.0.8"]
    observe = db.session.query(Change).filter_by(action="observe", object_id=a.id).one()
    assert observe.actor == "token:test-scanner" and observe.after["os_name"] == "Windows"
    # Seen again, nothing new: unchanged, and no new change records.
    changes = db.session.query(Change).count()
    r = push(api, batch(obs, scan_id="scan-2"))
    assert [d["decision"] for d in r.json["decisions"]] == ["unchanged", "unchanged"]
    assert db.session.query(Change).count() == changes
    # A person's later edit is locked too.
    api.patch(f"/assets/{b.id}", {"hostname": "b-official"}, role="it")
    push(api, batch(obs, scan_id="scan-3"))
    assert api.get(f"/assets/{b.id}").json["hostname"] == "b-official"


def test_conflict_is_never_a_silent_merge(api):
    a = create_asset(serial_number="SER-A")
    b = create_asset(interfaces=[{"mac": "00:14:22:00:00:0b"}])
    r = push(api, batch([{"serial_number": "SER-A", "macs": ["00:14:22:00:00:0b"]}]))
    assert r.json["conflicts"] == 1 and r.json["decisions"][0]["decision"] == "conflict"
    item = api.get("/triage?kind=conflict", role="it").json["items"][0]
    assert {c["asset_id"] for c in item["candidates"]} == {a.id, b.id}
    assert api.post(f"/triage/{item['id']}/promote", {"kind": "computer"}, role="it").status_code == 409
    assert api.post(f"/triage/{item['id']}/link", {"asset_id": 999}, role="it").status_code in (404, 422)
    r = api.post(f"/triage/{item['id']}/link", {"asset_id": a.id}, role="it")
    assert r.status_code == 200, r.json
    # The person's choice is remembered for the same conflict.
    r = push(api, batch([{"serial_number": "SER-A", "macs": ["00:14:22:00:00:0b"]}], scan_id="scan-2"))
    assert (r.json["conflicts"], r.json["decisions"][0]["asset_id"], r.json["decisions"][0]["rule"]) == (
        0, a.id, "triage_link")


@pytest.mark.parametrize("bad, field", [
    ({"macs": ["zz"]}, "macs"),
    ({"ip_addresses": ["999.1.1.1"]}, "ip_addresses"),
    ({"imei": "123"}, "imei"),
    ({"vendor": "x"}, "_schema"),  # no identifier
    ({"hostname": "h", "vlan": 5000}, "vlan"),
    ({"hostname": "h", "open_ports": [{"port": 0}]}, "open_ports"),
    ({"hostname": "h", "seen_at": "yesterday"}, "seen_at"),
    ({"hostname": "h", "kind": "toaster"}, "kind"),
])
def test_one_bad_observation_rejects_the_batch_keyed_by_index(api, bad, field):
    before = counts()
    r = push(api, batch([{"hostname": "fine"}, bad]))
    assert r.status_code == 422, r.json
    assert field in r.json["errors"]["json"]["observations"]["1"]
    assert "0" not in r.json["errors"]["json"]["observations"]
    assert counts() == before


def test_envelope_errors_and_bodies(api):
    for body in ({"scanner": "s", "scan_id": "x", "observations": []}, {"source": "nmap", "observations": []},
                 {"source": "nmap", "scanner": "s", "scan_id": "x", "observations": "no"}, [1, 2]):
        r = push(api, body)
        assert r.status_code == 422, (body, r.json)
    assert api.call("POST", "/observations", "scanner", data=b"{oops",
                    headers={"Content-Type": "application/json"}).status_code == 400


def test_gzip_bodies_are_accepted_and_bombs_refused(api):
    body = gzip.compress(json.dumps(batch([{"hostname": "zipped"}])).encode())
    r = api.call("POST", "/observations", "scanner", data=body,
                 headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 200 and r.json["created"] == 1, r.get_data(as_text=True)
    bomb = gzip.compress(b" " * (21 * 1024 * 1024))
    r = api.call("POST", "/observations", "scanner", data=bomb,
                 headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 413 and r.json["code"] == 413
    r = api.call("POST", "/observations", "scanner", data=body[:-20],
                 headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert r.status_code == 400 and r.json["code"] == 400
    big = b'{"source": "nmap", "pad": "' + b"x" * (21 * 1024 * 1024) + b'"}'
    r = api.call("POST", "/observations", "scanner", data=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json["code"] == 413


def test_only_scanners_and_admins_push(api):
    for role in ("it", "hr", "auditor"):
        assert push(api, batch([{"hostname": "h"}]), role=role).status_code == 403
    assert push(api, batch([{"hostname": "h"}]), role="admin").status_code == 200
    assert api.get("/triage", role="scanner").status_code == 403


def test_sightings_answer_where_and_what_was_on_a_port(api):
    a = create_asset(interfaces=[{"mac": "00:14:22:00:00:0a"}])
    yesterday = (NOW - timedelta(days=1)).isoformat()
    push(api, batch([{"macs": ["00:14:22:00:00:0a"], "switch": "sw-hq-1", "switch_port": "Gi1/0/12", "vlan": 20,
                      "ip_addresses": ["10.20.0.10"], "seen_at": yesterday}], **{"source": "ssh"}))
    push(api, batch([{"macs": ["00:14:22:00:00:0a"], "ip_addresses": ["10.20.0.11"]}], scan_id="s2"))
    on_port = api.get("/sightings", query_string={"switch": "sw-hq-1", "port": "Gi1/0/12"}).json["items"]
    assert [(s["asset_id"], s["vlan"], s["ip"]) for s in on_port] == [(a.id, "20", "10.20.0.10")]
    mine = api.get("/sightings", query_string={"asset_id": a.id}).json["items"]
    assert {s["ip"] for s in mine} == {"10.20.0.10", "10.20.0.11"}
    by_mac = api.get("/sightings", query_string={"mac": "0014.2200.000A"}).json["items"]
    assert len(by_mac) == 2
    recent = api.get("/sightings", query_string={"asset_id": a.id, "since": NOW.isoformat()}).json["items"]
    assert [s["ip"] for s in recent] == ["10.20.0.11"]


def test_complete_scan_marks_what_it_did_not_see_and_stale_assets(api, app):
    seen, gone = create_asset(interfaces=[{"mac": "00:14:22:00:00:01"}]), create_asset(
        interfaces=[{"mac": "00:14:22:00:00:02"}])
    old = (NOW - timedelta(hours=2)).isoformat()
    push(api, batch([{"macs": ["00:14:22:00:00:01"], "ip_addresses": ["10.20.0.1"], "seen_at": old},
                     {"macs": ["00:14:22:00:00:02"], "ip_addresses": ["10.20.0.2"], "seen_at": old}], scan_id="a"))
    r = push(api, batch([{"macs": ["00:14:22:00:00:01"], "ip_addresses": ["10.20.0.1"]}], scan_id="b",
                        complete=True))
    assert r.status_code == 200
    assert api.get(f"/assets/{gone.id}").json["missing_since"] is not None
    assert api.get(f"/assets/{seen.id}").json["missing_since"] is None
    assert [x["id"] for x in api.get("/assets?missing=true").json["items"]] == [gone.id]
    # Seen again: no longer missing.
    push(api, batch([{"macs": ["00:14:22:00:00:02"]}], scan_id="c"))
    assert api.get(f"/assets/{gone.id}").json["missing_since"] is None
    # Not seen for longer than MISSING_AFTER_DAYS: flagged on the next ingest.
    long_ago = (NOW - timedelta(days=40)).isoformat()
    stale = create_asset(interfaces=[{"mac": "00:14:22:00:00:03"}])
    push(api, batch([{"macs": ["00:14:22:00:00:03"], "seen_at": long_ago}], scan_id="d"))
    assert api.get(f"/assets/{stale.id}").json["missing_since"] is not None


def test_a_leaver_s_device_seen_raises_an_alert(api):
    leaver = create_employee(end_date=date.today() - timedelta(days=3), start_date=date(2020, 1, 1))
    a = create_asset(interfaces=[{"mac": "00:14:22:00:00:99"}])
    api.post(f"/assets/{a.id}/checkout", {"employee_id": leaver.id})
    for scan in ("s1", "s2"):
        push(api, batch([{"macs": ["00:14:22:00:00:99"]}], scan_id=scan))
    alerts = api.get("/alerts").json["items"]
    assert len(alerts) == 1
    assert (alerts[0]["kind"], alerts[0]["asset_id"], alerts[0]["employee_id"]) == (
        "leaver_device_seen", a.id, leaver.id)


def test_promote_link_and_ignore(api):
    push(api, batch([{"serial_number": "NEW-1", "manufacturer": "Apple", "macs": ["3c:22:fb:00:00:01"],
                      "hostname": "mb-new", "ip_addresses": ["10.20.0.30"], "os_name": "macOS"},
                     {"macs": ["00:14:22:00:00:31"], "ip_addresses": ["10.20.0.31"]},
                     {"ip_addresses": ["10.20.0.32"], "hostname": "guest-phone"}]))
    items = {i["identity_key"]: i for i in api.get("/triage", role="it").json["items"]}
    new = items["serial:apple:NEW-1"]
    r = api.post(f"/triage/{new['id']}/promote", {"kind": "computer"}, role="it")
    assert r.status_code == 201, r.json
    asset = r.json
    assert (asset["serial_number"], asset["hostname"], asset["os_name"]) == ("NEW-1", "mb-new", "macOS")
    assert asset["interfaces"][0]["mac"] == "3c:22:fb:00:00:01" and asset["locked_fields"] == ["kind"]
    assert api.get("/sightings", query_string={"asset_id": asset["id"]}).json["items"][0]["ip"] == "10.20.0.30"
    assert api.post(f"/triage/{new['id']}/promote", {"kind": "computer"}, role="it").status_code == 409

    target = create_asset(serial_number="KNOWN-2")
    dongle = items["mac:00:14:22:00:00:31"]
    assert api.post(f"/triage/{dongle['id']}/link", {"asset_id": target.id}, role="it").status_code == 200
    guest = items["host:guest-phone"]
    assert api.post(f"/triage/{guest['id']}/ignore", {}, role="it").status_code == 422
    assert api.post(f"/triage/{guest['id']}/ignore", {"reason": "visitor"}, role="it").status_code == 200

    r = push(api, batch([{"serial_number": "NEW-1", "manufacturer": "Apple", "macs": ["3c:22:fb:00:00:01"]},
                         {"macs": ["00:14:22:00:00:31"]},
                         {"ip_addresses": ["10.20.0.33"], "hostname": "guest-phone"}], scan_id="2"))
    assert [(d["decision"] != "triage", d["asset_id"]) for d in r.json["decisions"]] == [
        (True, asset["id"]), (True, target.id), (True, None)]
    assert r.json["decisions"][2]["decision"] == "ignored"
    assert r.json["ignored"] == 1
    assert api.get("/triage", role="it").json["items"] == []


def test_a_failure_midway_leaves_nothing_behind(api, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from inventory.services import observe

    create_asset(interfaces=[{"mac": "00:14:22:00:00:01"}])
    before = counts()

    def boom(rows):
        raise OperationalError("INSERT INTO sighting", {}, Exception("injected failure"))

    monkeypatch.setattr(observe, "_upsert_sightings", boom)
    r = push(api, batch([{"macs": ["00:14:22:00:00:01"], "hostname": "changed"}, {"hostname": "new-one"}]))
    assert r.status_code == 503 and r.json["code"] == 503
    assert counts() == before
    monkeypatch.undo()
    assert push(api, batch([{"macs": ["00:14:22:00:00:01"]}])).json["matched"] == 1  # a retry is not a replay


def test_hostnames_match_within_their_domain(api):
    from inventory.services import assets
    from tests.factories import CTX

    laptop = assets.create_asset({"kind": "computer", "hostname": "lt-x.corp.example"}, CTX, lock=False)
    kiosk = create_asset(hostname="kiosk")
    printers = {create_asset(hostname=f"printer-1.{d}.example").id for d in ("a", "b")}
    db.session.commit()
    r = push(api, batch([{"hostname": "lt-x", "ip_addresses": ["10.20.0.40"]},
                         {"hostname": "LT-X.Corp.Example."},
                         {"hostname": "lt-x.lab.example"},
                         {"hostname": "kiosk.corp.example"},
                         {"hostname": "printer-1"}]))
    assert r.status_code == 200, r.json
    assert [(d["decision"] in ("updated", "unchanged"), d["rule"], d["asset_id"]) for d in r.json["decisions"]] == [
        (True, "hostname", laptop.id), (True, "hostname", laptop.id), (False, None, None),
        (True, "hostname", kiosk.id), (False, "hostname", None)]
    assert [d["decision"] for d in r.json["decisions"]][2:] == ["triage", "updated", "conflict"]
    conflict = api.get("/triage?kind=conflict", role="it").json["items"][0]
    assert {c["asset_id"] for c in conflict["candidates"]} == printers
    # Seen by its short name, the laptop keeps the domain the register knows.
    r = push(api, batch([{"hostname": "lt-x", "ip_addresses": ["10.20.0.40"]}], scan_id="scan-2"))
    assert (r.json["decisions"][0]["decision"], r.json["decisions"][0]["asset_id"]) == ("unchanged", laptop.id)
    assert api.get(f"/assets/{laptop.id}").json["hostname"] == "lt-x.corp.example"


def test_an_ignored_conflict_stays_ignored(api):
    a = create_asset(serial_number="SER-A")
    b = create_asset(interfaces=[{"mac": "00:14:22:00:00:0b"}])
    ambiguous = {"serial_number": "SER-A", "macs": ["00:14:22:00:00:0b"], "ip_addresses": ["10.20.0.50"]}
    r = push(api, batch([ambiguous]))
    assert r.json["conflicts"] == 1
    item = api.get("/triage?kind=conflict", role="it").json["items"][0]
    r = api.post(f"/triage/{item['id']}/ignore", {"reason": "lab rig, two boards"}, role="it")
    assert r.status_code == 200 and (r.json["status"], r.json["reason"]) == ("ignored", "lab rig, two boards")
    before = db.session.query(TriageItem).count()
    r = push(api, batch([{**ambiguous, "ip_addresses": ["10.20.0.51"]}], scan_id="scan-2"))
    assert r.status_code == 200, r.json
    assert (r.json["conflicts"], r.json["ignored"], r.json["matched"]) == (0, 1, 0)
    assert (r.json["decisions"][0]["decision"], r.json["decisions"][0]["triage_id"]) == ("ignored", item["id"])
    assert db.session.query(TriageItem).count() == before
    assert api.get("/triage", role="it").json["items"] == []
    assert [i["id"] for i in api.get("/triage?status=ignored", role="it").json["items"]] == [item["id"]]
    # Neither candidate was touched: no silent merge.
    assert db.session.query(Sighting).count() == 0
    assert all(api.get(f"/assets/{x.id}").json["last_seen_at"] is None for x in (a, b))


def test_triage_lists_the_most_recently_seen_first(api):
    names = ("old", "middle", "recent")
    for n, name in enumerate(names):
        seen = (NOW - timedelta(hours=3 - n)).isoformat()
        push(api, batch([{"hostname": name, "seen_at": seen}], scan_id=f"s{n}"))
    push(api, batch([{"hostname": "old"}], scan_id="again"))  # an old item seen again, now
    first = api.get("/triage?limit=2", role="it").json
    assert [i["identity_key"] for i in first["items"]] == ["host:old", "host:recent"]
    second = api.get("/triage", role="it", query_string={"limit": 2, "cursor": first["next_cursor"]}).json
    assert [i["identity_key"] for i in second["items"]] == ["host:middle"] and second["next_cursor"] is None
    for bad in ("nope", first["next_cursor"][:-3], "WyJrMSIsMV0"):
        r = api.get("/triage", role="it", query_string={"cursor": bad})
        assert r.status_code == 400 and r.json["code"] == 400, bad
