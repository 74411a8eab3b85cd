"""Bulk statements that work on SQLite and PostgreSQL alike: upsert, greatest, least."""

import json
from datetime import UTC

from sqlalchemy import JSON, func
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

_to_json = json.JSONEncoder(separators=(",", ":")).encode  # one encoder: json.dumps(separators=) builds one per call


def dialect() -> str:
    return db.session.get_bind().dialect.name


def insert(table):
    return (postgresql.insert if dialect() == "postgresql" else sqlite.insert)(table)


def greatest(a, b):
    return func.greatest(a, b) if dialect() == "postgresql" else func.max(a, b)


def least(a, b):
    return func.least(a, b) if dialect() == "postgresql" else func.min(a, b)


def chunks(values: list, size: int = 5000):
    for i in range(0, len(values), size):
        yield values[i : i + size]


# Driver-level executemany for the hottest writes (ingest): SQLAlchemy's per-row bind processing costs more than
# the database itself there, so values are converted once per column kind and the statement goes to the driver.

def _converter(column) -> tuple[str, object]:
    """(placeholder, value converter) for a column, as its SQLAlchemy type would store the value."""
    from ..models.base import UTCDateTime

    pg = dialect() == "postgresql"
    mark = "%s" if pg else "?"
    if isinstance(column.type, UTCDateTime):
        if pg:
            return mark, None
        # SQLAlchemy's SQLite DateTime text (microseconds always); isoformat is several times faster than strftime
        return mark, lambda v: None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(column.type, JSON):
        return (f"CAST({mark} AS JSONB)" if pg else mark), lambda v: None if v is None else _to_json(v)
    return mark, None


def _prepared(table, names: list[str], rows: list[dict]) -> tuple[list[str], list[tuple]]:
    convs = [_converter(table.c[n]) for n in names]
    marks = [m for m, _ in convs]
    fns = [(n, f) for n, (_, f) in zip(names, convs, strict=True)]
    return marks, [tuple(f(r[n]) if f else r[n] for n, f in fns) for r in rows]


def update_many(table, columns: list[str], rows: list[dict], key: str = "id") -> None:
    """UPDATE table SET columns WHERE key = row[key], for every row, in one driver executemany."""
    if not rows:
        return
    marks, params = _prepared(table, [*columns, key], rows)
    sets = ", ".join(f'"{c}" = {m}' for c, m in zip(columns, marks, strict=False))
    db.session.connection().exec_driver_sql(f'UPDATE "{table.name}" SET {sets} WHERE "{key}" = {marks[-1]}', params)


def insert_many(table, rows: list[dict]) -> None:
    """INSERT every row (all with the keys of the first) in one driver executemany."""
    if not rows:
        return
    names = list(rows[0])
    marks, params = _prepared(table, names, rows)
    cols = ", ".join(f'"{n}"' for n in names)
    db.session.connection().exec_driver_sql(f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join(marks)})',
                                            params)


# How upsert_many merges a column of a row that exists already with the one sent: SQL, per dialect.
_MERGE = {
    "new": ("excluded.{c}", "excluded.{c}"),
    "add": ('"{t}"."{c}" + excluded.{c}', '"{t}"."{c}" + excluded.{c}'),
    "least": ('min("{t}"."{c}", excluded.{c})', 'least("{t}"."{c}", excluded.{c})'),
    "greatest": ('max("{t}"."{c}", excluded.{c})', 'greatest("{t}"."{c}", excluded.{c})'),
}


def upsert_many(table, rows: list[dict], key: list[str], merge: dict[str, str]) -> None:
    """INSERT every row (all with the keys of the first); where one with the same `key` exists, UPDATE its columns
    as `merge` says (column -> new, add, least or greatest) instead. One driver executemany."""
    if not rows:
        return
    names = list(rows[0])
    marks, params = _prepared(table, names, rows)
    pg = dialect() == "postgresql"
    sets = ", ".join(f'"{c}" = ' + _MERGE[how][pg].format(t=table.name, c=c) for c, how in merge.items())
    cols = ", ".join(f'"{n}"' for n in names)
    db.session.connection().exec_driver_sql(
        f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join(marks)}) '
        f'ON CONFLICT ({", ".join(key)}) DO UPDATE SET {sets}', params)
