"""Audit: the change log is append-only for every client, and refusals are logged."""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from inventory.extensions import db
from inventory.models import Change
from tests.factories import create_employee


def test_the_change_log_cannot_be_changed_or_deleted_even_in_sql(api):
    create_employee(name="Ada")
    before = [(c.id, c.action, c.after) for c in db.session.query(Change).all()]
    assert before
    for statement in ("UPDATE change SET actor = 'someone else'", "DELETE FROM change"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("TRUNCATE change"))
        db.session.rollback()
    assert [(c.id, c.action, c.after) for c in db.session.query(Change).all()] == before


def test_the_api_offers_no_way_to_edit_the_change_log(api):
    create_employee(name="Ada")
    change_id, count = db.session.query(Change.id).first()[0], db.session.query(Change).count()
    for method in ("PUT", "PATCH", "DELETE"):
        for path in ("/changes", f"/changes/{change_id}"):
            r = api.call(method, path, json={})
            assert r.status_code in (404, 405) and r.json["code"] == r.status_code, (method, path)
    assert db.session.query(Change).count() == count


def test_refusals_are_logged(api, caplog):
    caplog.set_level(logging.WARNING)
    assert api.post("/assets", {"kind": "computer"}, role="hr").status_code == 403
    assert api.get("/assets", role=None, headers={"Authorization": "Bearer inv_not-a-token"}).status_code == 401
    messages = [r.getMessage() for r in caplog.records]
    assert any("permission denied: token:test-hr (hr) POST /api/v1/assets" in m for m in messages), messages
    assert any("bearer token refused" in m for m in messages), messages
