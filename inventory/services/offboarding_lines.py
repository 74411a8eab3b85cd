"""Closing offboarding lines: return (checkin), transfer (checkin + checkout), write-off, confirm a check."""

from datetime import date

from sqlalchemy import select, update

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import Asset, Assignment, Employee, OffboardingCase, OffboardingLine
from ..models.base import utcnow
from ..models.offboarding import WRITE_OFF_STATUSES
from . import assignment as assignments
from .changelog import record
from .context import Context
from .offboarding import get_line, require_open


def _open_line(case: OffboardingCase, line_id: int) -> OffboardingLine:
    require_open(case)
    line = get_line(case, line_id)
    if line.state != "open":
        raise Conflict(f"Line {line.id} is closed already ({line.resolution}).")
    return line


def _holding(case: OffboardingCase, line: OffboardingLine) -> Assignment | None:
    """The open assignment of the line's asset if the leaver holds it; 409 if someone else does."""
    if line.asset_id is None:
        return None
    held = db.session.execute(select(Assignment).where(Assignment.asset_id == line.asset_id,
                                                       Assignment.checked_in_at.is_(None))).scalar()
    if held is not None and held.employee_id != case.employee_id:
        other = db.session.get(Employee, held.employee_id)
        raise Conflict(f"The asset of line {line.id} is checked out to {other.name}, not to the leaver.")
    return held


def _close(case: OffboardingCase, line: OffboardingLine, resolution: str, ctx: Context, condition: str | None = None,
           note: str | None = None, transferred_to: int | None = None) -> None:
    line.state, line.resolution, line.condition, line.note = "closed", resolution, condition, note
    line.transferred_to_id, line.closed_by, line.closed_at = transferred_to, ctx.actor, utcnow()
    db.session.flush()
    record(ctx, "offboarding", case.id, "line_closed", {"line_id": line.id, "state": "open"},
           {"line_id": line.id, "state": "closed", "resolution": resolution, "asset_id": line.asset_id,
            "condition": condition, "note": note, "transferred_to_id": transferred_to})


def return_line(case: OffboardingCase, line_id: int, ctx: Context, condition: str | None = None,
                note: str | None = None, status: str = "in_stock") -> OffboardingLine:
    """The leaver gave the item back: check it in (status in_stock, in_repair or retired) and close the line."""
    line = _open_line(case, line_id)
    held = _holding(case, line)
    _close(case, line, "returned", ctx, condition, note)
    if held is not None:
        assignments.check_in(line.asset_id, ctx, status, condition, note)
    return line


def transfer_line(case: OffboardingCase, line_id: int, employee_id: int, ctx: Context, due_back: date | None = None,
                  note: str | None = None, require_acknowledgement: bool = False):
    """Hand the item to another employee: checkin and checkout in one transaction, both in the history.

    Returns (line, new assignment); the new assignment carries `acknowledgement_token` when one was asked for.
    """
    line = _open_line(case, line_id)
    if line.asset_id is None:
        raise Invalid("This line names no asset; confirm it or close it otherwise.", {"line_id": [line.id]})
    if employee_id == case.employee_id:
        raise Invalid("Invalid input.", {"employee_id": ["Transfer to someone other than the leaver."]})
    target = db.session.get(Employee, employee_id)
    if target is None:
        raise Invalid("Unknown employee.", {"employee_id": [f"Employee {employee_id} does not exist."]})
    if target.status == "left":
        raise Conflict(f"{target.name} has left the company; equipment cannot be transferred to them.")
    held = _holding(case, line)
    _close(case, line, "transferred", ctx, None, note, employee_id)
    if held is not None:
        new = assignments.transfer(line.asset_id, employee_id, ctx, due_back=due_back, note=note,
                                   require_acknowledgement=require_acknowledgement)
    else:
        new = assignments.check_out(line.asset_id, employee_id, ctx, due_back, note, source="transfer",
                                    require_acknowledgement=require_acknowledgement)
    return line, new


def write_off_line(case: OffboardingCase, line_id: int, status: str, note: str, ctx: Context) -> OffboardingLine:
    """Lost or stolen: the asset takes that status (checked in from the leaver if held); a note is required."""
    line = _open_line(case, line_id)
    if not (note or "").strip():
        raise Invalid("Invalid input.", {"note": ["Say what happened: a note is required to write an item off."]})
    if line.asset_id is None:
        raise Invalid("This line names no asset; confirm it instead.", {"line_id": [line.id]})
    held = _holding(case, line)
    _close(case, line, status, ctx, None, note)
    if held is not None:
        assignments.check_in(line.asset_id, ctx, status, None, note)
    else:
        asset = db.session.get(Asset, line.asset_id)
        before = asset.status
        db.session.execute(update(Asset).where(Asset.id == asset.id).values(status=status, updated_at=utcnow()))
        record(ctx, "asset", asset.id, "update", {"status": before}, {"status": status, "note": note})
    return line


def confirm_line(case: OffboardingCase, line_id: int, note: str | None, ctx: Context) -> OffboardingLine:
    """A "to check" line: checked, nothing to return."""
    line = _open_line(case, line_id)
    if line.kind != "to_check":
        raise Conflict(f"Line {line.id} is an item the leaver holds: return, transfer or write it off.")
    _close(case, line, "confirmed", ctx, None, note)
    return line


def on_checkin(assignment: Assignment, status: str, condition: str | None, note: str | None, ctx: Context) -> None:
    """A plain checkin of an item on an open case closes its line (returned, or lost/stolen by the status)."""
    lines = db.session.execute(
        select(OffboardingLine).join(OffboardingCase, OffboardingCase.id == OffboardingLine.case_id)
        .where(OffboardingLine.assignment_id == assignment.id, OffboardingLine.state == "open",
               OffboardingCase.state == "open")).scalars().all()
    for line in lines:
        resolution = status if status in WRITE_OFF_STATUSES else "returned"
        _close(db.session.get(OffboardingCase, line.case_id), line, resolution, ctx, condition, note)


def on_transfer(asset_id: int, employee_id: int, note: str | None, ctx: Context) -> None:
    """A transfer of an item on an open case (made outside the case) closes its line as transferred."""
    lines = db.session.execute(
        select(OffboardingLine).join(OffboardingCase, OffboardingCase.id == OffboardingLine.case_id)
        .join(Assignment, Assignment.id == OffboardingLine.assignment_id)
        .where(OffboardingLine.asset_id == asset_id, Assignment.checked_in_at.is_(None),
               OffboardingLine.state == "open", OffboardingCase.state == "open")).scalars().all()
    for line in lines:
        _close(db.session.get(OffboardingCase, line.case_id), line, "transferred", ctx, None, note, employee_id)
