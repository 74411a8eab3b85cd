"""Checkout and checkin: who holds an asset. One open assignment per asset, enforced by the database."""

from datetime import date

from sqlalchemy import select, update

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import Alert, Asset, Assignment, Employee
from ..models.base import utcnow
from . import records
from .changelog import record
from .context import Context
from .pagination import keyset_page


def check_out(asset_id: int, employee_id: int, ctx: Context, due_back: date | None = None, note: str | None = None,
              source: str = "manual", require_acknowledgement: bool = False) -> Assignment:
    """Check an in-stock asset out; an open offboarding case of the employee gets a line for it.

    With require_acknowledgement a one-time link is made: its token is on `assignment.acknowledgement_token`.
    """
    asset = records.get_or_404(Asset, asset_id, "Asset")
    employee = db.session.get(Employee, employee_id)
    if employee is None:
        raise Invalid("Unknown employee.", {"employee_id": [f"Employee {employee_id} does not exist."]})
    if employee.status == "left":
        raise Conflict(f"{employee.name} has left the company; equipment cannot be checked out to them.")
    if due_back is not None and due_back < date.today():
        raise Invalid("Invalid input.", {"due_back": ["Must not be in the past."]})
    # The status flip is the lock: of concurrent checkouts exactly one sees in_stock and updates the row.
    won = db.session.execute(
        update(Asset).where(Asset.id == asset_id, Asset.status == "in_stock")
        .values(status="deployed", updated_at=utcnow())
    ).rowcount
    if not won:
        db.session.refresh(asset)
        holder = current_holder(asset_id)
        if holder is not None:
            raise Conflict(f"Asset {asset.asset_tag} is already checked out to {holder.name}; check it in first.")
        raise Conflict(f"Asset {asset.asset_tag} is {asset.status}; only in_stock assets can be checked out.")
    assignment = Assignment(asset_id=asset_id, employee_id=employee_id, due_back=due_back, note=note,
                            source=source, checked_out_by=ctx.actor)
    db.session.add(assignment)
    db.session.flush()
    record(ctx, "asset", asset_id, "checkout", {"status": "in_stock", "assigned_to": None},
           {"status": "deployed", "assigned_to": employee_id, "employee_name": employee.name,
            "assignment_id": assignment.id, "due_back": due_back.isoformat() if due_back else None,
            "note": note, "source": source})
    from . import acknowledgement, offboarding  # lifecycle hooks; they import this module

    offboarding.on_checkout(assignment, ctx)
    assignment.acknowledgement_token = None
    if require_acknowledgement:
        assignment.acknowledgement_token = acknowledgement.issue(assignment, ctx)[1]
    return assignment


def check_in(asset_id: int, ctx: Context, status: str = "in_stock", condition: str | None = None,
             note: str | None = None) -> Assignment:
    asset = records.get_or_404(Asset, asset_id, "Asset")
    assignment = db.session.execute(
        select(Assignment).where(Assignment.asset_id == asset_id, Assignment.checked_in_at.is_(None))
    ).scalar()
    if assignment is None:
        raise Conflict(f"Asset {asset.asset_tag} is not checked out.")
    closed = db.session.execute(
        update(Assignment).where(Assignment.id == assignment.id, Assignment.checked_in_at.is_(None))
        .values(checked_in_at=utcnow(), condition=condition, checkin_note=note, checked_in_by=ctx.actor)
    ).rowcount
    if not closed:  # a concurrent checkin got there first
        raise Conflict(f"Asset {asset.asset_tag} is not checked out.")
    db.session.execute(update(Asset).where(Asset.id == asset_id).values(status=status, updated_at=utcnow()))
    close_mismatch_alerts(asset_id)
    db.session.refresh(assignment)
    record(ctx, "asset", asset_id, "checkin", {"status": "deployed", "assigned_to": assignment.employee_id},
           {"status": status, "assigned_to": None, "assignment_id": assignment.id, "condition": condition,
            "note": note})
    from .offboarding_lines import on_checkin

    on_checkin(assignment, status, condition, note, ctx)
    return assignment


def transfer(asset_id: int, employee_id: int, ctx: Context, condition: str | None = None, due_back: date | None = None,
             note: str | None = None, require_acknowledgement: bool = False) -> Assignment:
    """Hand a checked-out asset to another employee: a checkin and a checkout in one transaction, both in history.

    Refused (nothing changes) if the asset is not checked out, the new holder has left or is the current one.
    """
    asset = records.get_or_404(Asset, asset_id, "Asset")
    holder = current_holder(asset_id)
    if holder is None:
        raise Conflict(f"Asset {asset.asset_tag} is not checked out; check it out instead.")
    target = db.session.get(Employee, employee_id)
    if target is None:
        raise Invalid("Unknown employee.", {"employee_id": [f"Employee {employee_id} does not exist."]})
    if target.id == holder.id:
        raise Conflict(f"Asset {asset.asset_tag} is already checked out to {holder.name}.")
    if target.status == "left":
        raise Conflict(f"{target.name} has left the company; equipment cannot be transferred to them.")
    from .offboarding_lines import on_transfer

    on_transfer(asset_id, employee_id, note, ctx)  # a leaver's line closes as transferred, not returned
    check_in(asset_id, ctx, "in_stock", condition, note)
    return check_out(asset_id, employee_id, ctx, due_back, note, source="transfer",
                     require_acknowledgement=require_acknowledgement)


def close_mismatch_alerts(asset_id: int) -> None:
    """An asset that changes hands closes its "held by X, used by Y" alerts; the next ingest judges anew."""
    db.session.execute(update(Alert).where(Alert.asset_id == asset_id, Alert.kind == "assignment_mismatch",
                                           Alert.closed_at.is_(None)).values(closed_at=utcnow()))


def current_holder(asset_id: int) -> Employee | None:
    return db.session.execute(
        select(Employee).join(Assignment, Assignment.employee_id == Employee.id)
        .where(Assignment.asset_id == asset_id, Assignment.checked_in_at.is_(None))
    ).scalar()


def with_acknowledgements(assignments: list[Assignment]) -> list[Assignment]:
    """Set .acknowledgement (state) and .acknowledgement_link (only right after a checkout that made one)."""
    from .acknowledgement import latest_for, link, state_of

    latest = latest_for([a.id for a in assignments])
    for a in assignments:
        a.acknowledgement = state_of(latest.get(a.id))
        token = getattr(a, "acknowledgement_token", None)
        a.acknowledgement_link = link(token) if token else None
    return assignments


def list_assignments(args: dict, asset_id: int | None = None, employee_id: int | None = None):
    stmt = select(Assignment)
    if asset_id is not None:
        stmt = stmt.where(Assignment.asset_id == asset_id)
    if employee_id is not None:
        stmt = stmt.where(Assignment.employee_id == employee_id)
    items, cursor = keyset_page(stmt, Assignment.id, args["limit"], args.get("cursor"), newest_first=True)
    return with_acknowledgements(items), cursor
