"""Where assets were seen, and the alerts discovery raised."""

from sqlalchemy import or_, select

from ..models import Alert, Sighting
from .pagination import keyset_page


def list_sightings(args: dict):
    stmt = select(Sighting)
    for key in ("asset_id", "ip", "mac", "switch", "port", "source"):
        if args.get(key):
            stmt = stmt.where(getattr(Sighting, key) == args[key])
    if args.get("vlan"):
        stmt = stmt.where(Sighting.vlan == str(args["vlan"]))
    if args.get("since"):
        stmt = stmt.where(Sighting.last_seen >= args["since"])
    if args.get("until"):
        stmt = stmt.where(Sighting.first_seen <= args["until"])
    return keyset_page(stmt, Sighting.id, args["limit"], args.get("cursor"), newest_first=True)


def list_alerts(args: dict):
    stmt = select(Alert)
    if args.get("open", True):
        stmt = stmt.where(Alert.closed_at.is_(None))
    for key in ("kind", "asset_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Alert, key) == args[key])
    if args.get("employee_id") is not None:  # an alert about two people is shown on both
        stmt = stmt.where(or_(Alert.employee_id == args["employee_id"], Alert.related_employee_id == args["employee_id"]))
    return keyset_page(stmt, Alert.id, args["limit"], args.get("cursor"), newest_first=True)
