"""Keyset pagination with opaque cursors."""

import base64
import binascii

from sqlalchemy import Select

from ..errors import ApiError
from ..extensions import db


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"k1:{last_id}".encode()).decode().rstrip("=")


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
        raise ApiError(400, "Invalid cursor: pass next_cursor from the previous page unchanged.") from None


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
