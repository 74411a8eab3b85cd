"""Bulk statements that work on SQLite and PostgreSQL alike: upsert, greatest, least."""

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db


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
