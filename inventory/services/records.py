"""Create, update and delete of plain records, with reference checks and the change log."""

from sqlalchemy import exists, func, select

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from .changelog import diff, record, snapshot
from .context import Context


def get_or_404(model, object_id: int, label: str | None = None):
    obj = db.session.get(model, object_id) if 0 < object_id < 2**63 else None
    if obj is None:
        raise NotFound(f"{label or model.__name__} {object_id} not found.")
    return obj


def check_references(data: dict, refs: dict) -> None:
    """422 naming each field whose id points at nothing; refs maps field -> model."""
    errors = {}
    for field, model in refs.items():
        value = data.get(field)
        if value is not None and db.session.get(model, value) is None:
            errors[field] = [f"{model.__name__} {value} does not exist."]
    if errors:
        raise Invalid("Unknown references.", errors)


def check_unique(model, data: dict, fields: dict, exclude_id: int | None = None) -> None:
    """409 naming each field whose value is already taken; fields maps field -> normaliser or None."""
    errors = {}
    for field, norm in fields.items():
        if data.get(field) is None:
            continue
        value = norm(data[field]) if norm else data[field]
        stmt = select(model.id).where(getattr(model, field) == value)
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)
        if db.session.execute(stmt.limit(1)).first():
            errors[field] = [f"'{value}' is already used."]
    if errors:
        raise Conflict("Already exists.", errors)


def columns(model) -> list[str]:
    return [c.key for c in model.__table__.columns if c.key not in ("created_at", "updated_at")]


def create(model, data: dict, ctx: Context, object_type: str):
    obj = model(**data)
    db.session.add(obj)
    db.session.flush()
    record(ctx, object_type, obj.id, "create", None, snapshot(obj, columns(model)))
    return obj


def update(obj, data: dict, ctx: Context, object_type: str):
    fields = columns(type(obj))
    before = snapshot(obj, fields)
    for key, value in data.items():
        setattr(obj, key, value)
    db.session.flush()
    changed_before, changed_after = diff(before, snapshot(obj, fields))
    if changed_after:
        record(ctx, object_type, obj.id, "update", changed_before, changed_after)
    return obj


def delete(obj, ctx: Context, object_type: str, blockers: dict, before: dict | None = None) -> None:
    """Delete obj unless a blocker (message -> SQL exists clause) says it is still referenced."""
    for message, clause in blockers.items():
        if db.session.execute(select(exists().where(clause))).scalar():
            raise Conflict(message)
    before = before or snapshot(obj, columns(type(obj)))
    db.session.delete(obj)
    db.session.flush()
    record(ctx, object_type, before["id"], "delete", before, None)


def count(stmt) -> int:
    return db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
