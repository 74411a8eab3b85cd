"""MDM exports (Intune, Jamf) become observations: matched by IMEI and serial, the rest to triage."""

from inventory.extensions import db
from inventory.models import Asset, Change, IngestBatch, TriageItem
from tests.factories import create_asset, create_model

INTUNE = """Device name,Managed by,Ownership,OS,OS version,Last check-in,Primary user UPN,Serial number,IMEI,\
Wi-Fi MAC,Phone number,Manufacturer,Model,Device ID
iPhone-Ada,Intune,Corporate,iOS,17.5,2026-11-20 08:15:00,ada@example.com,F17Z1ABCD,35-693803-564380-9,\
3C:22:FB:00:00:0A,+44 20 7946 0001,Apple,iPhone 15,a1b2
Galaxy-Bob,Intune,Corporate,Android,14,2026-11-21 09:00:00,bob@example.com,R58N9XYZ,490154203237518,\
,+44 20 7946 0002,samsung,Galaxy S23,c3d4
Tab-Cy,Intune,Corporate,Android,14,2026-11-21 10:00:00,cy@example.com,R52W0NEW,352099001761481,,,Samsung,\
Galaxy Tab S9,e5f6
"""
JAMF = """Display Name,Serial Number,IMEI,Model,iOS Version,Wi-Fi MAC Address,Last Inventory Update,Username,\
Phone Number,UDID
Ada's iPad,DMPX1JAMF,,iPad Air (5th generation),17.4,3c:22:fb:00:00:0b,2026-11-22 07:00:00,ada,,udid-1
"""


def test_intune_import_matches_by_imei_and_serial_and_sends_the_rest_to_triage(app, api):
    iphone_model = create_model("Apple", "iPhone 15", "phone")
    by_imei = create_asset(kind="phone", model_id=iphone_model.id, imei="356938035643809")
    galaxy_model = create_model("Samsung", "Galaxy S23", "phone")
    by_serial = create_asset(kind="phone", model_id=galaxy_model.id, serial_number="R58N9XYZ")
    r = api.call("POST", "/imports/mdm?format=intune", "it", data=INTUNE.encode(),
                 headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.json
    decisions = r.json["decisions"]
    assert [(d["decision"], d["rule"], d["asset_id"]) for d in decisions[:2]] == [
        ("updated", "imei", by_imei.id), ("updated", "serial", by_serial.id)]
    assert decisions[2]["decision"] == "triage"
    phone = api.get(f"/assets/{by_imei.id}").json
    assert (phone["os_name"], phone["os_version"], phone["serial_number"]) == ("iOS", "17.5", "F17Z1ABCD")
    assert [(u["login"], u["kind"], u["source"]) for u in phone["users_seen"]] == [("ada@example.com", "enrolled", "mdm")]
    assert phone["last_seen_at"].startswith("2026-11-20T08:15:00")
    item = db.session.query(TriageItem).one()
    assert item.identity_key == "serial:samsung:R52W0NEW" and item.observation["kind"] == "mobile_device"
    assert db.session.query(Asset).count() == 2  # nothing duplicated

    before = (db.session.query(Change).count(), db.session.query(IngestBatch).count())
    again = api.call("POST", "/imports/mdm?format=intune", "it", data=INTUNE.encode())
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    db.session.rollback()
    assert (db.session.query(Change).count(), db.session.query(IngestBatch).count()) == before


def test_jamf_import_from_the_command_line(app, tmp_path):
    f = tmp_path / "jamf.csv"
    f.write_text(JAMF)
    out = app.test_cli_runner().invoke(args=["import", "mdm", str(f), "--format", "jamf"])
    assert out.exit_code == 0, out.output
    assert "1 to triage" in out.output
    item = db.session.query(TriageItem).one()
    assert item.observation["kind"] == "mobile_device" and item.identifiers["serial_number"] == "DMPX1JAMF"
    assert "Already imported" in app.test_cli_runner().invoke(args=["import", "mdm", str(f), "--format", "jamf"]).output


def test_bad_rows_are_reported_by_line_and_nothing_is_written(app, api):
    bad = INTUNE.replace("35-693803-564380-9", "35-693803-564380-0").replace("Galaxy-Bob,Intune,Corporate,Android,14,"
                                                                            "2026-11-21 09:00:00", "Galaxy-Bob,Intune,"
                                                                            "Corporate,Android,14,yesterday")
    changes = db.session.query(Change).count()
    r = api.call("POST", "/imports/mdm?format=intune", "it", data=bad.encode())
    assert r.status_code == 422, r.json
    assert set(r.json["errors"]) == {"line 2", "line 3"}
    assert "imei" in r.json["errors"]["line 2"][0] and "last_seen" in r.json["errors"]["line 3"][0]
    db.session.rollback()
    assert db.session.query(TriageItem).count() == 0 and db.session.query(Change).count() == changes


def test_unknown_layout_is_refused_with_the_missing_columns(api):
    r = api.call("POST", "/imports/mdm?format=jamf", "it", data=INTUNE.encode())
    assert r.status_code == 422
    assert r.json["errors"]["missing_columns"] == ["Serial Number", "iOS Version", "Last Inventory Update"]
    assert api.call("POST", "/imports/mdm?format=intune", "hr", data=INTUNE.encode()).status_code == 403
    assert api.call("POST", "/imports/mdm?format=palm", "it", data=INTUNE.encode()).status_code == 422


JAMF_PHONES = """Display Name,Serial Number,IMEI,Model,iOS Version,Wi-Fi MAC Address,Last Inventory Update,Username,\
Phone Number,UDID
Ada's iPhone,F2LXJAMF01,,iPhone 14,17.4,3c:22:fb:00:01:01,2026-11-22 07:00:00,ada,+44 20 7946 0101,udid-11
Bob's iPhone,F2LXJAMF02,35 332411 000123 4,iPhone 15,17.5,3c:22:fb:00:01:02,2026-11-22 07:05:00,bob,,udid-12
Cy's iPad,DMPXJAMF03,,iPad Air (5th generation),17.3,3c:22:fb:00:01:03,2026-11-22 07:10:00,cy,,udid-13
"""


def _it_registered_phones():
    """Two iPhones IT bought and registered: one known by its serial, the other only by its IMEI (from the box)."""
    model = create_model("Apple", "iPhone 14", "phone")
    by_serial = create_asset(kind="phone", model_id=model.id, serial_number="F2LXJAMF01")
    by_imei = create_asset(kind="phone", model_id=create_model("Apple", "iPhone 15", "phone").id,
                           imei="353324110001234")
    return by_serial, by_imei


def _written() -> tuple[int, int, int]:
    db.session.rollback()
    return (db.session.query(Change).count(), db.session.query(IngestBatch).count(),
            db.session.query(TriageItem).count())


def test_jamf_import_matches_it_registered_phones_by_serial_and_imei(app, api):
    by_serial, by_imei = _it_registered_phones()
    r = api.call("POST", "/imports/mdm?format=jamf", "it", data=JAMF_PHONES.encode(),
                 headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.json
    decisions = r.json["decisions"]
    assert [(d["decision"], d["rule"], d["asset_id"]) for d in decisions[:2]] == [
        ("updated", "serial", by_serial.id), ("updated", "imei", by_imei.id)]
    assert decisions[2]["decision"] == "triage"
    first = api.get(f"/assets/{by_serial.id}").json
    assert (first["os_name"], first["os_version"], first["imei"]) == ("iOS", "17.4", None)
    assert [(u["login"], u["kind"], u["source"]) for u in first["users_seen"]] == [("ada", "enrolled", "mdm")]
    assert first["last_seen_at"].startswith("2026-11-22T07:00:00")
    second = api.get(f"/assets/{by_imei.id}").json
    assert (second["serial_number"], second["os_version"]) == ("F2LXJAMF02", "17.5")  # the serial is learnt
    item = db.session.query(TriageItem).one()
    assert item.identifiers["serial_number"] == "DMPXJAMF03" and item.observation["kind"] == "mobile_device"
    assert db.session.query(Asset).count() == 2  # nothing duplicated

    before = _written()
    again = api.call("POST", "/imports/mdm?format=jamf", "it", data=JAMF_PHONES.encode())
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert _written() == before


JAMF_BAD = (JAMF_PHONES.replace("35 332411 000123 4", "35 332411 000123 5")  # check digit off by one
            .replace("3c:22:fb:00:01:03", "3c:22:fb:00:01"))  # a MAC one byte short


def test_bad_jamf_rows_refuse_the_file_by_line_and_nothing_is_written_api(app, api):
    by_serial, _ = _it_registered_phones()
    before = _written()
    r = api.call("POST", "/imports/mdm?format=jamf", "it", data=JAMF_BAD.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 422, r.json
    assert set(r.json["errors"]) == {"line 3", "line 4"}  # line 2 is good, but the file is refused as a whole
    assert r.json["errors"]["line 3"] == ["imei: '35 332411 000123 5' is not a valid IMEI"]
    assert r.json["errors"]["line 4"] == ["wifi_mac: '3c:22:fb:00:01' is not a MAC address"]
    assert _written() == before
    assert api.get(f"/assets/{by_serial.id}").json["os_version"] is None  # the good row was not applied either


def test_bad_jamf_rows_refuse_the_file_by_line_and_nothing_is_written_cli(app, tmp_path):
    by_serial, _ = _it_registered_phones()
    f = tmp_path / "jamf.csv"
    f.write_text(JAMF_BAD)
    before = _written()
    out = app.test_cli_runner().invoke(args=["import", "mdm", str(f), "--format", "jamf"])
    assert out.exit_code == 1, out.output
    assert "2 row(s) are invalid; nothing was imported" in out.stderr
    assert "line 3: imei: '35 332411 000123 5' is not a valid IMEI" in out.stderr
    assert "line 4: wifi_mac: '3c:22:fb:00:01' is not a MAC address" in out.stderr
    assert _written() == before
    assert db.session.get(Asset, by_serial.id).os_version is None

    f.write_text(JAMF_PHONES)  # corrected: it goes through
    out = app.test_cli_runner().invoke(args=["import", "mdm", str(f), "--format", "jamf"])
    assert out.exit_code == 0, out.output
    assert "2 matched (2 updated), 1 to triage" in out.output
