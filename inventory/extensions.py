"""Extensions, created unbound and bound to the app in the factory."""

from contextvars import ContextVar

from apispec.ext.marshmallow import MarshmallowPlugin
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base, engine_options={"pool_pre_ping": True})
migrate = Migrate()


def schema_name(schema) -> str:
    """OpenAPI component name: AssetSchema -> Asset; a partial (PATCH) instance -> AssetPatch."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    return name + "Patch" if getattr(schema, "partial", False) is True else name


NO_NUL = "^[^\\x00]*$"


def _no_nul(_converter, field, ret, **_kw) -> dict:
    """Text fields say they take no NUL character (the API refuses it: PostgreSQL cannot store it)."""
    if ret.get("type") == "string" and not {"pattern", "enum", "format"} & set(ret):
        return {"pattern": NO_NUL}
    return {}


class Plugin(MarshmallowPlugin):
    def init_spec(self, spec):
        super().init_spec(spec)
        self.converter.add_attribute_function(_no_nul)


def make_api() -> Api:
    """A flask-smorest Api for one app: it keeps its spec per instance, so each app gets its own."""
    return Api(spec_kwargs={"marshmallow_plugin": Plugin(schema_name_resolver=schema_name)})

# Set by the web layer for requests that write: SQLite then takes the write lock at BEGIN, so two
# writers queue on busy_timeout instead of one failing with "database is locked" after it has read.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_conn, _record) -> None:
    if type(dbapi_conn).__module__.startswith("sqlite3"):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
