"""Flask commands: tokens, demo seed, CSV import and export."""

import io

import pytest

from inventory.extensions import db
from inventory.models import ApiToken, Asset, Assignment, Change, Employee
from tests.factories import create_employee


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args, input=None):
        db.session.rollback()
        return runner.invoke(args=list(args), input=input, catch_exceptions=False)

    return run


def test_token_create_prints_token_last_and_it_works(cli, app):
    result = cli("tokens", "create", "--name", "ci", "--role", "auditor")
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("inv_") and len(token) > 30
    stored = db.session.query(ApiToken).filter_by(name="ci").one()
    assert stored.token_hash != token and token not in stored.token_hash
    client = app.test_client()
    r = client.get("/api/v1/assets", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert client.post("/api/v1/assets", json={"kind": "computer"},
                       headers={"Authorization": f"Bearer {token}"}).status_code == 403
    db.session.rollback()
    assert db.session.query(ApiToken).filter_by(name="ci").one().last_used_at is not None
    listing = cli("tokens", "list").output
    assert "ci\tauditor" in listing and token not in listing
    assert cli("tokens", "revoke", "--name", "ci").exit_code == 0
    assert client.get("/api/v1/assets", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "revoked" in cli("tokens", "list").output
    assert cli("tokens", "create", "--name", "ci", "--role", "it").exit_code == 1


def test_expired_token_is_refused(cli, app):
    token = cli("tokens", "create", "--name", "old", "--role", "admin", "--expires", "2020-01-01").output.split()[-1]
    r = app.test_client().get("/api/v1/assets", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_seed_demo_only_when_empty(cli):
    assert "loaded" in cli("seed-demo", "--if-empty").output
    kinds = {k for (k,) in db.session.query(Asset.kind).distinct()}
    assert kinds == {"computer", "phone", "mobile_device", "network_device", "peripheral"}
    assert db.session.query(Assignment).count() > 0
    n = db.session.query(Asset).count()
    assert "not loaded" in cli("seed-demo", "--if-empty").output
    assert db.session.query(Asset).count() == n


ASSETS_CSV = """asset_tag,kind,status,manufacturer,model,serial_number,hostname,location,purchase_cost,currency,macs,assigned_to
LAP-1,computer,in_stock,Dell Inc.,Latitude 7440,SN-1,lt-1,HQ / Building A,"1,299.50",EUR,00-14-22-00-00-01,
LAP-2,computer,deployed,Dell Inc.,Latitude 7440,SN-2,,HQ / Building A,899,EUR,,E1
"""


def test_import_assets_upserts_and_exports_round_trip(cli, tmp_path):
    create_employee(employee_number="E1")
    f = tmp_path / "a.csv"
    f.write_text(ASSETS_CSV)
    result = cli("import", "assets", str(f))
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    lap1 = db.session.query(Asset).filter_by(asset_tag="LAP-1").one()
    assert lap1.purchase_cost_cents == 129950 and lap1.interfaces[0].mac == "00:14:22:00:00:01"
    lap2 = db.session.query(Asset).filter_by(asset_tag="LAP-2").one()
    assert lap2.status == "deployed"
    assert "2 unchanged" in cli("import", "assets", str(f)).output
    out = tmp_path / "out.csv"
    assert cli("export", "assets", str(out)).exit_code == 0
    exported = out.read_text()
    assert "LAP-1,computer,in_stock,Dell Inc.,Latitude 7440,SN-1,lt-1" in exported
    assert "HQ / Building A" in exported and ",E1" in exported
    assert "2 unchanged" in cli("import", "assets", str(out)).output


def test_import_with_bad_rows_reports_lines_and_writes_nothing(cli, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("asset_tag,kind,imei,purchase_date,assigned_to\n"
                 "OK-1,computer,,,\n"
                 "BAD-1,toaster,,,\n"
                 "BAD-2,phone,356938035643808,,\n"
                 "BAD-3,computer,,31/12/2024,\n"
                 "BAD-4,computer,,,nobody\n")
    changes = db.session.query(Change).count()
    result = cli("import", "assets", str(f))
    assert result.exit_code == 1
    for line in ("line 3", "line 4", "line 5"):
        assert line in result.output, result.output
    assert "line 2" not in result.output
    assert db.session.query(Asset).count() == 0 and db.session.query(Change).count() == changes
    # Valid field-wise but unresolvable: found while applying, still nothing written.
    f.write_text("asset_tag,kind,assigned_to\nOK-1,computer,\nOK-2,computer,nobody\n")
    result = cli("import", "assets", str(f))
    assert result.exit_code == 1 and "line 3" in result.output
    assert db.session.query(Asset).count() == 0


def test_import_snipe_it_export(cli, tmp_path):
    create_employee(name="Jane Doe", email="jane@example.com")
    f = tmp_path / "snipe.csv"
    f.write_text(
        "Asset Tag,Name,Serial,Model,Model No.,Category,Manufacturer,Status,Checked Out To,Location,"
        "Purchase Date,Purchase Cost,Notes\n"
        "SN-0001,lt-jane,C02ABC,MacBook Pro 14,A2442,Laptops,Apple,Deployed,Jane Doe,London,"
        "2023-04-01 00:00:00,\"2,499.00\",from snipe\n"
        "SN-0002,,R58M,Galaxy S23,,Mobile Phones,Samsung,Ready to Deploy,,London,,,\n"
        "SN-0003,,FOC1,Catalyst 9200,,Switches,Cisco,Archived,,,,,\n")
    result = cli("import", "assets", str(f))
    assert result.exit_code == 0, result.output
    by_tag = {a.asset_tag: a for a in db.session.query(Asset)}
    assert (by_tag["SN-0001"].kind, by_tag["SN-0001"].status, by_tag["SN-0001"].hostname) == (
        "computer", "deployed", "lt-jane")
    assert by_tag["SN-0001"].purchase_cost_cents == 249900
    assert (by_tag["SN-0002"].kind, by_tag["SN-0002"].status) == ("phone", "in_stock")
    assert (by_tag["SN-0003"].kind, by_tag["SN-0003"].status) == ("network_device", "retired")
    holder = db.session.query(Assignment).filter_by(asset_id=by_tag["SN-0001"].id).one()
    assert holder.employee_id == db.session.query(Employee).filter_by(name="Jane Doe").one().id


def test_employees_import_and_export(cli, tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("employee_number,name,email,department,job_title,manager,start_date\n"
                 "E1,Ada,ada@example.com,Engineering,Boss,,2024-01-01\n"
                 "E2,Bob,BOB@example.com,Engineering,Dev,E1,2024-02-01\n")
    result = cli("import", "employees", str(f))
    assert result.exit_code == 0 and "2 created" in result.output, result.output
    bob = db.session.query(Employee).filter_by(employee_number="E2").one()
    assert bob.email == "bob@example.com" and bob.manager_id is not None
    assert "2 unchanged" in cli("import", "employees", str(f)).output
    buf = io.StringIO(cli("export", "employees").output)
    assert buf.getvalue().splitlines()[2].startswith("E2,Bob,bob@example.com,Engineering,Dev,E1")
    f.write_text("employee_number,name,email,shoe_size\nE3,C,c@example.com,44\n")
    result = cli("import", "employees", str(f))
    assert result.exit_code == 1 and "shoe_size" in result.output


def test_employee_import_cannot_bypass_clearance_and_names_the_line(cli, tmp_path):
    """A CSV cannot mark someone left (or leaving, or back to active) past their offboarding; all rows or none."""
    from datetime import date

    from inventory.services import assignment, offboarding
    from tests.factories import CTX, create_asset

    holder, leaver, spare = (create_employee(employee_number=n, name=n) for n in ("H1", "L1", "S1"))
    laptop, phone = create_asset(), create_asset(kind="phone")
    assignment.check_out(laptop.id, holder.id, CTX)
    assignment.check_out(phone.id, leaver.id, CTX)
    case = offboarding.open_case(leaver, date.today(), CTX)
    db.session.commit()
    case_id, laptop_tag = case.id, laptop.asset_tag
    f = tmp_path / "e.csv"

    def refused(rows: str, *words: str) -> None:
        before = [(e.id, e.status, e.job_title) for e in db.session.query(Employee).order_by(Employee.id)]
        n = db.session.query(Change).count()
        f.write_text("employee_number,name,email,job_title,status\n"
                     "S1,S1,s1@example.com,Renamed,left\n" + rows)  # line 2 is fine on its own
        result = cli("import", "employees", str(f))
        assert result.exit_code == 1 and "nothing was imported" in result.output, result.output
        assert "line 2" not in result.output, result.output
        for w in words:
            assert w in result.output, (w, result.output)
        db.session.rollback()
        assert [(e.id, e.status, e.job_title) for e in db.session.query(Employee).order_by(Employee.id)] == before
        assert db.session.query(Change).count() == n

    refused("H1,H1,h1@example.com,,left\n", "line 3", laptop_tag, "offboarding")
    refused("H1,H1,h1@example.com,,leaving\n", "line 3", "/employees/")
    refused("L1,L1,l1@example.com,,active\n", "line 3", f"/offboardings/{case_id}/cancel")
    refused("H1,H1,h1@example.com,,active\nL1,L1,l1@example.com,,left\n", "line 4", "clearance")
    # The rows without a bypass go through; the open case is untouched.
    f.write_text("employee_number,name,email,job_title,status\nS1,S1,s1@example.com,Renamed,left\n"
                 "L1,L1,l1@example.com,Handing over,leaving\n")
    assert "2 updated" in cli("import", "employees", str(f)).output
    db.session.rollback()
    assert db.session.query(Employee).filter_by(employee_number="S1").one().status == "left"
    assert offboarding.get_case(case_id).state == "open"
