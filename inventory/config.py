"""Settings from the environment: every key can be set as INVENTORY_<KEY>."""

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class Config:
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'inventory.db'}"
    ENV = "development"  # anything but "development" or "testing" makes INVENTORY_SECRET_KEY mandatory
    SECRET_KEY = None
    # Asset tags generated when none is given: PREFIX + zero-padded number.
    ASSET_TAG_PREFIX = "INV-"
    ASSET_TAG_DIGITS = 6
    DEFAULT_CURRENCY = "EUR"
    PAGE_DEFAULT = 50
    PAGE_MAX = 1000
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Seconds between writes of a token's last_used_at (a write per request would serialise readers).
    TOKEN_TOUCH_INTERVAL = 60
    JSON_SORT_KEYS = False
    # Discovery: identifier rules, strongest first; days unseen before an asset is flagged missing.
    MATCH_RULES = "serial,uuid,agent_id,imei,mac,hostname"
    MISSING_AFTER_DAYS = 30
    # Sources whose unmatched observations with a hardware identity create assets rather than triage items.
    CREATE_FROM = "agent"
    # Who uses what: days on which one employee must be seen on an unassigned asset before it is suggested
    # for them (or on another's asset before a mismatch alert); AUTO_ASSIGN checks such assets out at once.
    USAGE_SUGGEST_DAYS = 3
    USAGE_MISMATCH_DAYS = 3
    USAGE_AUTO_ASSIGN = False
    # Offboarding adds a "to check" line for each device the leaver was seen using within this many days.
    USAGE_LOOKBACK_DAYS = 90
    # Writes per minute per token (per worker process); 0 turns the limit off.
    WRITE_RATE_LIMIT = 1200
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (0: none): links the
    # app makes (acknowledgements), secure cookies and the client IP recorded then follow the public request.
    TRUSTED_PROXIES = 0
    BACKUP_DIR = None  # default: instance/backups
    BACKUP_KEEP = 14

    # flask-smorest / OpenAPI
    API_TITLE = "Inventory"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    # Swagger UI served from the swagger-ui-bundle package: no CDN at run time.
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/api/swagger-ui/"


def load(app, overrides: dict | None = None) -> None:
    """Fill app.config from Config, then INVENTORY_* environment variables, then explicit overrides."""
    app.config.from_object(Config)
    app.config.from_prefixed_env("INVENTORY")
    if overrides:
        app.config.update(overrides)
    url = app.config["DATABASE_URL"]
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    _secret_key(app)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)


def _secret_key(app) -> None:
    """Outside development a key must be given; in development a random one is made once and kept in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV"] not in ("development", "testing"):
        raise RuntimeError(f"INVENTORY_SECRET_KEY must be set when INVENTORY_ENV={app.config['ENV']}"
                           " (only development and testing make one up).")
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()
