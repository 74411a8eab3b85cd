"""The change log: an explicit record per change with before/after, actor and request id."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..models import Change
from ..models.base import utcnow
from .context import Context
from .pagination import keyset_page


def jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj, fields) -> dict:
    return {f: jsonable(getattr(obj, f)) for f in fields}


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(ctx: Context, object_type: str, object_id: int, action: str, before=None, after=None) -> None:
    db.session.add(
        Change(object_type=object_type, object_id=object_id, action=action, before=before, after=after,
               actor=ctx.actor, request_id=ctx.request_id)
    )


def record_many(ctx: Context, rows: list[dict]) -> None:
    """Bulk form of record(): rows of {object_type, object_id, action, before, after}."""
    if rows:
        from .bulk import insert_many

        now = utcnow()
        insert_many(Change.__table__, [{**r, "actor": ctx.actor, "request_id": ctx.request_id, "created_at": now}
                                       for r in rows])


def list_changes(args: dict):
    stmt = select(Change)
    for key in ("object_type", "object_id", "action", "actor"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Change, key) == args[key])
    if args.get("since"):
        stmt = stmt.where(Change.created_at >= args["since"])
    if args.get("until"):
        stmt = stmt.where(Change.created_at < args["until"])
    return keyset_page(stmt, Change.id, args["limit"], args.get("cursor"), newest_first=True)
