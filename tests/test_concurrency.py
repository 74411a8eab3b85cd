"""Twenty people check out the same asset at once: exactly one wins."""

import threading

import requests

from inventory.extensions import db
from inventory.models import Assignment
from tests.factories import create_asset, create_employee


def test_twenty_simultaneous_checkouts_one_wins(live_server, tokens):
    asset_id = create_asset().id
    people = [create_employee().id for _ in range(20)]
    barrier = threading.Barrier(20)
    results = []

    def go(employee_id):
        session = requests.Session()  # its own connection
        barrier.wait()
        r = session.post(f"{live_server}/api/v1/assets/{asset_id}/checkout", json={"employee_id": employee_id},
                         headers={"Authorization": f"Bearer {tokens['it']}"}, timeout=30)
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * 19, results
    assert all("already checked out" in body["message"] for code, body in results if code == 409)
    db.session.rollback()
    open_rows = db.session.query(Assignment).filter(Assignment.checked_in_at.is_(None)).all()
    assert len(open_rows) == 1 and open_rows[0].asset_id == asset_id


def test_the_database_itself_refuses_a_second_open_assignment(app):
    import pytest
    from sqlalchemy.exc import IntegrityError

    asset, a, b = create_asset(), create_employee(), create_employee()
    db.session.add(Assignment(asset_id=asset.id, employee_id=a.id, checked_out_by="x"))
    db.session.commit()
    db.session.add(Assignment(asset_id=asset.id, employee_id=b.id, checked_out_by="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
