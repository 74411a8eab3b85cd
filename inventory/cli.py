"""Flask commands: tokens, demo seed, CSV import and export."""

import sys
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from .errors import ApiError
from .extensions import db
from .services.context import Context

CLI = Context(actor="cli")


def _fail(e: ApiError) -> None:
    db.session.rollback()
    click.echo(f"error: {e.message}", err=True)
    for field, messages in (e.errors or {}).items():
        click.echo(f"  {field}: {'; '.join(map(str, messages))}", err=True)
    sys.exit(1)


tokens = AppGroup("tokens", help="Create, list and revoke API tokens.")


@tokens.command("create")
@click.option("--name", required=True, help="A name to recognise the token by.")
@click.option("--role", required=True, type=click.Choice(["admin", "it", "hr", "scanner", "auditor"]))
@click.option("--expires", type=click.DateTime(), default=None, help="Expiry (UTC), e.g. 2027-01-31.")
def tokens_create(name, role, expires):
    """Create a token; it is printed once, alone on the last line."""
    from .services.tokens import create_token

    try:
        _, secret = create_token(name, role, CLI, expires.replace(tzinfo=UTC) if expires else None)
        db.session.commit()
    except ApiError as e:
        _fail(e)
    click.echo(f"Token '{name}' ({role}) created. It is shown only now:", err=True)
    click.echo(secret)


@tokens.command("list")
def tokens_list():
    """List tokens (never their secrets)."""
    from .services.tokens import list_tokens

    now = datetime.now(UTC)
    for t in list_tokens():
        state = "revoked" if t.revoked_at else "expired" if t.expires_at and t.expires_at <= now else "active"
        last = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "never"
        click.echo(f"{t.name}\t{t.role}\t{t.prefix}...\t{state}\tlast used {last}")


@tokens.command("revoke")
@click.option("--name", required=True)
def tokens_revoke(name):
    """Revoke a token by name."""
    from .services.tokens import revoke_token

    try:
        revoke_token(name, CLI)
        db.session.commit()
    except ApiError as e:
        _fail(e)
    click.echo(f"Token '{name}' revoked.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds assets.")
def seed_demo(if_empty):
    """Load a small demo: departments, locations, employees, models and assets of every kind."""
    from .services.demo import seed

    created = seed(CLI, only_if_empty=if_empty)
    db.session.commit()
    click.echo("Demo data loaded." if created else "Database not empty: demo not loaded.")


import_group = AppGroup("import", help="Import CSV files (all or nothing).")
export_group = AppGroup("export", help="Export CSV files.")


@import_group.command("assets")
@click.argument("path", type=click.File("r", encoding="utf-8-sig"))
def import_assets(path):
    """Upsert assets by asset tag from our CSV or a Snipe-IT asset export."""
    _run_import("assets", path)


@import_group.command("employees")
@click.argument("path", type=click.File("r", encoding="utf-8-sig"))
def import_employees(path):
    """Upsert employees by employee number."""
    _run_import("employees", path)


@import_group.command("mdm")
@click.argument("path", type=click.File("r", encoding="utf-8-sig"))
@click.option("--format", "fmt", required=True, type=click.Choice(["intune", "jamf", "generic"]))
def import_mdm(path, fmt):
    """Import an MDM device export (phones, tablets): matched by IMEI and serial, the rest to triage."""
    import json

    from .imports import import_mdm as run

    try:
        answer, replayed = run(path.read(), fmt, CLI)
        db.session.commit()
    except ApiError as e:
        _fail(e)
    result = json.loads(answer)
    click.echo(("Already imported: nothing changed. " if replayed else "") +
               f"{result['matched']} matched ({result['updated']} updated), {result['created']} to triage, "
               f"{result['conflicts']} conflicts.")


def _run_import(what: str, handle) -> None:
    from .imports import import_csv

    try:
        result = import_csv(what, handle.read(), CLI)
        db.session.commit()
    except ApiError as e:
        _fail(e)
    click.echo(f"{what}: {result['created']} created, {result['updated']} updated, {result['unchanged']} unchanged.")


@export_group.command("assets")
@click.argument("path", type=click.File("w", encoding="utf-8"), default="-")
def export_assets(path):
    """Write every asset as CSV (to PATH, or standard output)."""
    from .imports import export_csv

    export_csv("assets", path)


@export_group.command("employees")
@click.argument("path", type=click.File("w", encoding="utf-8"), default="-")
def export_employees(path):
    """Write every employee as CSV (to PATH, or standard output)."""
    from .imports import export_csv

    export_csv("employees", path)


backup = AppGroup("backup", help="Consistent backups with a manifest; restore into an empty database.")


def _backup_dir(to: str | None):
    from pathlib import Path

    from flask import current_app

    return Path(to or current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


@backup.command("create")
@click.option("--to", "to", default=None, help="Folder for the backup (default: INVENTORY_BACKUP_DIR or instance/backups).")
def backup_create(to):
    """Make a consistent online backup and its manifest; keep the newest INVENTORY_BACKUP_KEEP."""
    from flask import current_app

    from .services import backup as service

    try:
        path = service.create(_backup_dir(to), int(current_app.config.get("BACKUP_KEEP", 14)))
    except service.BackupError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    click.echo(str(path))


@backup.command("list")
@click.option("--dir", "to", default=None)
def backup_list(to):
    """List backups, newest first."""
    from .services import backup as service

    for m in service.list_backups(_backup_dir(to)):
        click.echo(f"{m['created_at']}\t{m['file']}\t{m['size_bytes']} bytes\trevision {m['schema_revision']}\t"
                   f"{sum(m['row_counts'].values())} rows")


@backup.command("restore")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False))
def backup_restore(manifest):
    """Restore a backup (give its .manifest.json) into the configured, empty database and verify it."""
    from pathlib import Path

    from .services import backup as service

    try:
        restored = service.restore(Path(manifest))
    except service.BackupError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    click.echo(f"Restored {restored['file']} ({sum(restored['row_counts'].values())} rows, verified).")


users = AppGroup("users", help="Web sign-in users (passwords are stored hashed).")


@users.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "it", "hr", "auditor"]))
@click.option("--password", default=None, help="At least 10 characters; generated and printed when left out.")
def users_create(username, role, password):
    """Create a user; a generated password is printed once, alone on the last line."""
    from .services.users import create_user

    try:
        user, generated = create_user(username, role, CLI, password)
        db.session.commit()
    except ApiError as e:
        _fail(e)
    click.echo(f"User '{user.username}' ({role}) created.", err=bool(generated))
    if generated:
        click.echo(generated)


@users.command("ensure-admin")
@click.option("--url", default=None, help="Where the pages are, to print with the credentials.")
def users_ensure_admin(url):
    """Create a first admin user when there is none, and print its credentials."""
    from .services.users import ensure_admin

    made = ensure_admin(CLI)
    db.session.commit()
    where = f" at {url}" if url else ""
    if made:
        click.echo(f"Sign in{where} as '{made[0]}' with password: {made[1]}")
    else:
        click.echo(f"Sign in{where} with your web user (an admin exists; `users create` adds more).")


def register_commands(app: Flask) -> None:
    for command in (tokens, seed_demo, import_group, export_group, backup, users):
        app.cli.add_command(command)
