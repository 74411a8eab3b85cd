"""Keyset pagination with opaque cursors."""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Select, and_, or_
from sqlalchemy.exc import DBAPIError

from ..errors import ApiError
from ..extensions import db
from ..models.base import UTCDateTime


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"k1:{last_id}".encode()).decode().rstrip("=")


_INVALID = "Invalid cursor: pass next_cursor from the previous page unchanged."


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, _, value = raw.partition(":")
        if tag != "k1":
            raise ValueError(cursor)
        last_id = int(value)
        if not 0 <= last_id < 2**63:
            raise ValueError(cursor)
        return last_id
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ApiError(400, _INVALID) from None


# Pages ordered by another column, then id: the cursor carries that column's last value too.

def encode_keyed_cursor(tag: str, value, last_id: int) -> str:
    """An opaque cursor after (value, last_id); tag names the ordering, dates and times travel as ISO text."""
    if isinstance(value, date | datetime):
        value = value.isoformat()
    return base64.urlsafe_b64encode(json.dumps([tag, value, last_id]).encode()).decode().rstrip("=")


def decode_keyed_cursor(cursor: str, tag: str, parse: Callable[[object], object]) -> tuple[object, int]:
    """(value, last_id) from a cursor encode_keyed_cursor made with tag; parse restores the value (raising
    ValueError or TypeError when it cannot). Anything else is a 400."""
    try:
        got, value, last_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if got != tag or not isinstance(last_id, int) or isinstance(last_id, bool) or not 0 <= last_id < 2**63:
            raise ValueError(cursor)
        return parse(value), last_id
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error):
        raise ApiError(400, _INVALID) from None


def after_key(key, id_col, value, last_id: int, descending: bool = False):
    """The keyset condition for the rows after (value, last_id) in (key, id) order."""
    if descending:
        return or_(key < value, and_(key == value, id_col < last_id))
    return or_(key > value, and_(key == value, id_col > last_id))


def keyset_page(stmt: Select, id_col, limit: int, cursor: str | None, newest_first: bool = False,
                mappings: bool = False):
    """Run stmt for one page ordered by id; return (ORM objects, or row mappings if asked, and next_cursor)."""
    if cursor:
        last = decode_cursor(cursor)
        stmt = stmt.where(id_col < last if newest_first else id_col > last)
    stmt = stmt.order_by(id_col.desc() if newest_first else id_col).limit(limit + 1)
    result = db.session.execute(stmt)
    rows = list(result.mappings() if mappings else result.scalars())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1]["id"] if mappings else rows[-1].id)


# Statements run straight on the DBAPI cursor (hot read paths): compiled once per dialect and shape.
_COMPILED: dict[tuple, tuple] = {}
_scan_json = json.JSONDecoder().scan_once


def _json_text(value):
    """SQLite JSON text to Python, as SQLAlchemy's JSON type reads it, without json.loads' per-call checks."""
    if value is None:
        return None
    if value == "{}":
        return {}
    if value == "[]":
        return []
    try:
        result, end = _scan_json(value, 0)
    except StopIteration:
        return json.loads(value)
    return result if end == len(value) else json.loads(value)


def _utc_text(value):
    """SQLite datetime text to an aware UTC datetime, as UTCDateTime reads it (SQLAlchemy parses with fromisoformat)."""
    if value is None:
        return None
    value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _processor(type_, dialect):
    if dialect.name == "sqlite" and isinstance(type_, JSON):
        return _json_text
    if dialect.name == "sqlite" and isinstance(type_, UTCDateTime):
        return _utc_text
    return type_._cached_result_processor(dialect, None)


def raw_rows(key, build: Callable[[], Select], params: dict) -> tuple[list[str], list[list]]:
    """Run the statement build() makes (compiled once per dialect and key, values as named bindparams) on the
    DBAPI cursor of the session's connection; return column names and rows converted as SQLAlchemy would."""
    conn = db.session.connection()
    dialect = conn.dialect
    entry = _COMPILED.get((dialect.name, key))
    if entry is None:
        stmt = build()
        compiled = stmt.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("raw_rows needs a statement without expanding or literal-execute parameters")
        columns = list(stmt.selected_columns)
        entry = _COMPILED[(dialect.name, key)] = (
            compiled.string, compiled.positiontup if compiled.positional else None, compiled.params,
            [c.key for c in columns],
            [(i, p) for i, p in enumerate(_processor(c.type, dialect) for c in columns) if p is not None])
    sql, order, defaults, names, processors = entry
    params = {**defaults, **params}  # values fixed at build time, such as SQLite's OFFSET -1
    values = tuple(params[n] for n in order) if order is not None else params
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, values)
        rows = [list(r) for r in cursor.fetchall()]
    except dialect.loaded_dbapi.Error as e:  # as SQLAlchemy would raise it: the error handlers know those
        raise DBAPIError.instance(sql, values, e, dialect.loaded_dbapi.Error, dialect=dialect) from e
    finally:
        cursor.close()
    for row in rows:
        for i, process in processors:
            row[i] = process(row[i])
    return names, rows
