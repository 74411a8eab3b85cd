"""Installed software reported by agents: kept in step with each report, searchable by package and version."""

from datetime import datetime

from sqlalchemy import and_, bindparam, delete, select

from ..extensions import db
from ..models import Asset, InstalledSoftware
from . import bulk
from .pagination import keyset_page


def sync(reports: list[tuple[int, dict]], source: str) -> None:
    """Each (asset_id, observation) carrying a software list replaces that asset's list from this source.

    Upsert what was reported (first_seen kept), then drop this source's rows the report no longer names.
    """
    rows: dict[tuple, dict] = {}
    reported: dict[int, datetime] = {}
    for asset_id, obs in reports:
        if "software" not in obs:
            continue
        seen = obs["seen_at"]
        if asset_id in reported and reported[asset_id] > seen:
            continue  # an older report of the same asset in this batch does not win
        reported[asset_id] = seen
        for key in [k for k in rows if k[0] == asset_id]:
            del rows[key]
        for item in obs["software"]:
            key = (asset_id, item["name"].lower(), item["version"])
            rows[key] = {"asset_id": asset_id, "name_key": key[1], "name": item["name"], "version": item["version"],
                         "publisher": item["publisher"], "source": source, "first_seen": seen, "last_seen": seen}
    if not reported:
        return
    table = InstalledSoftware.__table__
    bulk.upsert_many(table, sorted(rows.values(), key=lambda r: (r["asset_id"], r["name_key"], r["version"])),
                     ["asset_id", "name_key", "version"],
                     {"last_seen": "new", "name": "new", "publisher": "new", "source": "new"})
    db.session.execute(
        delete(table).where(and_(table.c.asset_id == bindparam("b_asset"), table.c.source == source,
                                 table.c.last_seen < bindparam("b_seen"))),
        [{"b_asset": a, "b_seen": seen} for a, seen in sorted(reported.items())],
        execution_options={"synchronize_session": False})


def list_installations(args: dict):
    """Which assets run a package (name case-insensitive, exact), optionally a version; asset tag and hostname."""
    stmt = (select(InstalledSoftware.id, InstalledSoftware.asset_id, Asset.asset_tag, Asset.hostname,
                   InstalledSoftware.name, InstalledSoftware.version, InstalledSoftware.publisher,
                   InstalledSoftware.source, InstalledSoftware.first_seen, InstalledSoftware.last_seen)
            .join(Asset, Asset.id == InstalledSoftware.asset_id))
    if args.get("name"):
        stmt = stmt.where(InstalledSoftware.name_key == args["name"].strip().lower())
    if args.get("q"):
        stmt = stmt.where(InstalledSoftware.name_key.contains(args["q"].strip().lower(), autoescape=True))
    if args.get("version") is not None:
        stmt = stmt.where(InstalledSoftware.version == args["version"])
    if args.get("asset_id") is not None:
        stmt = stmt.where(InstalledSoftware.asset_id == args["asset_id"])
    return keyset_page(stmt, InstalledSoftware.id, args["limit"], args.get("cursor"), mappings=True)
