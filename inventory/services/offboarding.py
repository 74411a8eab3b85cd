"""Offboarding cases: open for a leaver, lines for what they hold, clearance with a receipt, or cancel."""

from datetime import date, timedelta

from sqlalchemy import exists, or_, select

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Alert, Asset, AssetModel, Assignment, Department, Employee, OffboardingCase, OffboardingLine
from ..models.base import utcnow
from .changelog import record
from .context import Context
from .pagination import keyset_page


def _today() -> date:
    return date.today()


def lock_employee(employee_id: int) -> Employee:
    """The employee row, locked until commit (SELECT ... FOR UPDATE) and read afresh.

    Opening a case, a checkout's hook, clearance, cancel and a status change take it first, so under READ
    COMMITTED each sees what the other committed (a checkout cannot slip past a case being opened). SQLite
    ignores FOR UPDATE: there writers are serialised (BEGIN IMMEDIATE) anyway.
    """
    return db.session.execute(select(Employee).where(Employee.id == employee_id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one()


def open_case(employee: Employee, last_day: date, ctx: Context, note: str | None = None) -> OffboardingCase:
    """Open a case for a leaver: status "leaving", end_date = last_day, a line per asset held (due last_day)."""
    employee = lock_employee(employee.id)
    if employee.status == "left":
        raise Conflict(f"{employee.name} has left already.")
    current = open_case_of(employee.id)
    if current is not None:
        raise Conflict(f"{employee.name} already has an open offboarding case ({current.id}).",
                       {"case_id": [current.id]})
    if employee.start_date and last_day < employee.start_date:
        raise Invalid("Invalid input.", {"last_day": ["Must not be before the start date."]})
    case = OffboardingCase(employee_id=employee.id, last_day=last_day, status_before=employee.status,
                           end_date_before=employee.end_date, note=note, opened_by=ctx.actor, opened_at=utcnow())
    db.session.add(case)
    db.session.flush()
    held = db.session.execute(select(Assignment).where(Assignment.employee_id == employee.id,
                                                       Assignment.checked_in_at.is_(None)).order_by(Assignment.id))
    for a in held.scalars():
        db.session.add(OffboardingLine(case_id=case.id, kind="held", asset_id=a.asset_id, assignment_id=a.id,
                                       due_date=last_day, added_by=ctx.actor))
    _add_seen_devices(case, employee, ctx)
    _set_employee(employee, "leaving", last_day, ctx)
    db.session.flush()
    db.session.refresh(case)
    record(ctx, "offboarding", case.id, "open", None,
           {"employee_id": employee.id, "last_day": last_day.isoformat(), "note": note,
            "lines": [{"id": ln.id, "asset_id": ln.asset_id} for ln in case.lines]})
    return case

def _add_seen_devices(case: OffboardingCase, employee: Employee, ctx: Context) -> None:
    """Devices the leaver was seen using lately (USAGE_LOOKBACK_DAYS) but does not hold: lines "to check"."""
    from flask import current_app

    from .usage import assets_used_by

    since = utcnow() - timedelta(days=int(current_app.config.get("USAGE_LOOKBACK_DAYS", 90)))
    held = set(db.session.execute(select(OffboardingLine.asset_id).where(OffboardingLine.case_id == case.id))
               .scalars())
    for use in assets_used_by(employee):
        if use["asset_id"] in held or use["last_seen"] < since:
            continue
        held.add(use["asset_id"])
        add_to_check_line(case, use["asset_id"], f"Seen in use by {employee.name} as {use['login']} on "
                          f"{use['days_seen']} day(s), last {use['last_seen']:%Y-%m-%d}; not checked out to them.", ctx)


def _set_employee(emp: Employee, status: str, end_date: date | None, ctx: Context) -> None:
    before = {"status": emp.status, "end_date": emp.end_date.isoformat() if emp.end_date else None}
    emp.status, emp.end_date = status, end_date
    after = {"status": status, "end_date": end_date.isoformat() if end_date else None}
    if before != after:
        record(ctx, "employee", emp.id, "update", before, after)

def open_case_of(employee_id: int) -> OffboardingCase | None:
    return db.session.execute(select(OffboardingCase).where(OffboardingCase.employee_id == employee_id,
                                                            OffboardingCase.state == "open")).scalar()

def get_case(case_id: int) -> OffboardingCase:
    case = db.session.get(OffboardingCase, case_id) if 0 < case_id < 2**63 else None
    if case is None:
        raise NotFound(f"Offboarding case {case_id} not found.")
    return case

def get_line(case: OffboardingCase, line_id: int) -> OffboardingLine:
    line = next((ln for ln in case.lines if ln.id == line_id), None)
    if line is None:
        raise NotFound(f"Line {line_id} is not part of offboarding case {case.id}.")
    return line

def _line_label(line: OffboardingLine, asset: Asset | None) -> str:
    what = f"{asset.asset_tag} ({asset.kind})" if asset else "no asset"
    return f"line {line.id}: {what}, {'to check' if line.kind == 'to_check' else 'held'}, due {line.due_date}"

def line_view(line: OffboardingLine, today: date | None = None) -> dict:
    """A line as shown: the asset, due date, overdue, state and how it was closed."""
    today = today or _today()
    asset = db.session.get(Asset, line.asset_id) if line.asset_id else None
    model = db.session.get(AssetModel, asset.model_id) if asset and asset.model_id else None
    to = db.session.get(Employee, line.transferred_to_id) if line.transferred_to_id else None
    return {
        "id": line.id, "kind": line.kind, "asset_id": line.asset_id, "asset_tag": asset.asset_tag if asset else None,
        "asset_kind": asset.kind if asset else None, "model": model.name if model else None,
        "serial_number": asset.serial_number if asset else None, "asset_status": asset.status if asset else None,
        "assignment_id": line.assignment_id, "reason": line.reason, "due_date": line.due_date,
        "overdue": line.state == "open" and line.due_date < today, "state": line.state,
        "resolution": line.resolution, "condition": line.condition, "note": line.note,
        "transferred_to_id": line.transferred_to_id, "transferred_to_name": to.name if to else None,
        "added_by": line.added_by, "added_at": line.added_at, "closed_by": line.closed_by,
        "closed_at": line.closed_at, "label": _line_label(line, asset),
    }

def case_view(case: OffboardingCase, with_lines: bool = True) -> dict:
    """A case as shown: the employee, last day, state, lines (open, overdue) and who cleared or cancelled it."""
    emp = db.session.get(Employee, case.employee_id)
    dept = db.session.get(Department, emp.department_id) if emp.department_id else None
    lines = [line_view(ln) for ln in case.lines]
    overdue = [ln["id"] for ln in lines if ln["overdue"]]
    view = {
        "id": case.id, "employee_id": emp.id, "employee_name": emp.name, "employee_number": emp.employee_number,
        "department": dept.name if dept else None, "employee_status": emp.status, "last_day": case.last_day,
        "state": case.state, "note": case.note, "opened_by": case.opened_by, "opened_at": case.opened_at,
        "cleared_by": case.cleared_by, "cleared_at": case.cleared_at, "cancelled_by": case.cancelled_by,
        "cancelled_at": case.cancelled_at, "cancel_reason": case.cancel_reason,
        "line_count": len(lines), "open_lines": [ln["id"] for ln in lines if ln["state"] == "open"],
        "overdue_lines": overdue, "overdue": bool(overdue) and case.state == "open",
        # Discovery's flags on this person: a held device seen after the last day, a device used but not held.
        "alerts": db.session.execute(select(Alert).where(
            Alert.closed_at.is_(None), or_(Alert.employee_id == emp.id, Alert.related_employee_id == emp.id))
            .order_by(Alert.id)).scalars().all() if with_lines else [],
    }
    if with_lines:
        view["lines"] = lines
    return view

def list_cases(args: dict) -> tuple[list[dict], str | None]:
    """Cases, oldest first, filtered by ?state=, ?employee_id=, ?overdue= (has an open line past its due date)."""
    stmt = select(OffboardingCase)
    if args.get("state"):
        stmt = stmt.where(OffboardingCase.state == args["state"])
    if args.get("employee_id") is not None:
        stmt = stmt.where(OffboardingCase.employee_id == args["employee_id"])
    if args.get("overdue") is not None:
        late = exists().where(OffboardingLine.case_id == OffboardingCase.id, OffboardingLine.state == "open",
                              OffboardingLine.due_date < _today())
        stmt = stmt.where((OffboardingCase.state == "open") & late if args["overdue"] else ~late)
    cases, cursor = keyset_page(stmt, OffboardingCase.id, args["limit"], args.get("cursor"),
                                newest_first=bool(args.get("newest_first")))
    return [case_view(c, with_lines=False) for c in cases], cursor

def require_open(case: OffboardingCase) -> None:
    if case.state != "open":
        raise Conflict(f"Offboarding case {case.id} is {case.state}; it cannot change any more.")

def clear(case: OffboardingCase, ctx: Context, note: str | None = None) -> OffboardingCase:
    """Clearance: every line closed, else 409 naming the open lines; the employee becomes "left"."""
    lock_employee(case.employee_id)  # a checkout now waits, then sees "left"; one before us adds a line we see
    db.session.expire(case)
    require_open(case)
    still_open = [ln for ln in case.lines if ln.state == "open"]
    if still_open:
        labels = [_line_label(ln, db.session.get(Asset, ln.asset_id) if ln.asset_id else None) for ln in still_open]
        raise Conflict(f"{len(still_open)} line(s) still open: close them before clearance ({'; '.join(labels)}).",
                       {"open_lines": labels})
    case.state, case.cleared_by, case.cleared_at = "cleared", ctx.actor, utcnow()
    if note:
        case.note = f"{case.note}\n{note}" if case.note else note
    _set_employee(db.session.get(Employee, case.employee_id), "left", case.last_day, ctx)
    db.session.flush()
    record(ctx, "offboarding", case.id, "clear", {"state": "open"},
           {"state": "cleared", "cleared_by": ctx.actor, "cleared_at": case.cleared_at.isoformat(), "note": note})
    return case

def cancel(case: OffboardingCase, reason: str, ctx: Context) -> OffboardingCase:
    """Cancel an open case: the person stays (status and end date as before); the case and lines stay as history."""
    lock_employee(case.employee_id)
    db.session.expire(case)
    require_open(case)
    case.state, case.cancelled_by, case.cancelled_at, case.cancel_reason = "cancelled", ctx.actor, utcnow(), reason
    emp = db.session.get(Employee, case.employee_id)
    _set_employee(emp, case.status_before if case.status_before != "left" else "active", case.end_date_before, ctx)
    db.session.flush()
    record(ctx, "offboarding", case.id, "cancel", {"state": "open"}, {"state": "cancelled", "reason": reason})
    return case

def receipt(case: OffboardingCase) -> dict:
    """The clearance receipt: every item, how and when it was closed, who cleared the case and when."""
    if case.state != "cleared":
        raise Conflict(f"Offboarding case {case.id} is {case.state}; a receipt exists once it is cleared.")
    view = case_view(case)
    view["items"] = view.pop("lines")
    view.pop("alerts")
    return view

# Hooks called by assignment and by the engineer adding "to check" lines.

def on_checkout(assignment: Assignment, ctx: Context) -> OffboardingLine | None:
    """A checkout to someone with an open case adds a held line to it (due on the last day, or today if past).

    The employee row is locked first, so a case being opened at the same moment either sees this assignment
    (it waits for our commit) or is seen here (we wait for its commit); a clearance that won makes this 409.
    """
    employee = lock_employee(assignment.employee_id)
    if employee.status == "left":
        raise Conflict(f"{employee.name} has left the company; equipment cannot be checked out to them.")
    case = open_case_of(assignment.employee_id)
    if case is None:
        return None
    line = OffboardingLine(case_id=case.id, kind="held", asset_id=assignment.asset_id, assignment_id=assignment.id,
                           due_date=max(case.last_day, _today()), added_by=ctx.actor)
    db.session.add(line)
    db.session.flush()
    db.session.expire(case, ["lines"])
    record(ctx, "offboarding", case.id, "line_added", None,
           {"line_id": line.id, "kind": "held", "asset_id": line.asset_id, "assignment_id": assignment.id,
            "due_date": line.due_date.isoformat()})
    return line

def add_to_check_line(case: OffboardingCase, asset_id: int | None, reason: str, ctx: Context) -> OffboardingLine:
    """Add a "to check" line: a device the leaver was seen using but does not hold (asset optional).

    It closes by confirm (checked, nothing to return) or by the usual return, transfer or write-off.
    """
    require_open(case)
    if asset_id is not None and db.session.get(Asset, asset_id) is None:
        raise Invalid("Unknown asset.", {"asset_id": [f"Asset {asset_id} does not exist."]})
    if not (reason or "").strip():
        raise Invalid("Invalid input.", {"reason": ["Say why the device is to be checked."]})
    line = OffboardingLine(case_id=case.id, kind="to_check", asset_id=asset_id, reason=reason,
                           due_date=max(case.last_day, _today()), added_by=ctx.actor)
    db.session.add(line)
    db.session.flush()
    db.session.expire(case, ["lines"])
    record(ctx, "offboarding", case.id, "line_added", None,
           {"line_id": line.id, "kind": "to_check", "asset_id": asset_id, "reason": reason})
    return line
