"""Onboarding cases: a new hire's kit as lines that IT fulfils by checking out matching in-stock assets."""

from datetime import date

from sqlalchemy import select

from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Asset, AssetModel, Employee, Kit, OnboardingCase, OnboardingLine
from ..models.base import utcnow
from . import acknowledgement, kits
from .assignment import check_out
from .changelog import record
from .context import Context
from .pagination import keyset_page


def open_case(employee: Employee, kit_id: int, needed_by: date | None, ctx: Context) -> OnboardingCase:
    """Open an onboarding case from a kit: one line per unit to issue (quantity 2 makes two lines)."""
    kit = db.session.get(Kit, kit_id) if 0 < kit_id < 2**63 else None
    if kit is None:
        raise Invalid("Unknown kit.", {"kit_id": [f"Kit {kit_id} does not exist."]})
    if employee.status != "active":
        raise Conflict(f"{employee.name} is {employee.status}; only active employees are onboarded.")
    current = db.session.execute(select(OnboardingCase.id).where(OnboardingCase.employee_id == employee.id,
                                                                 OnboardingCase.state == "open")).scalar()
    if current is not None:
        raise Conflict(f"{employee.name} already has an open onboarding case ({current}).", {"case_id": [current]})
    case = OnboardingCase(employee_id=employee.id, kit_id=kit.id, kit_name=kit.name, needed_by=needed_by,
                          opened_by=ctx.actor, opened_at=utcnow())
    db.session.add(case)
    db.session.flush()
    for kl in kit.lines:
        for _ in range(kl.quantity):
            db.session.add(OnboardingLine(case_id=case.id, kind=kl.kind, model_id=kl.model_id,
                                          min_specs=dict(kl.min_specs or {}), requirement=kl.requirement))
    db.session.flush()
    db.session.refresh(case)
    record(ctx, "onboarding", case.id, "open", None,
           {"employee_id": employee.id, "kit_id": kit.id, "kit_name": kit.name,
            "needed_by": needed_by.isoformat() if needed_by else None, "lines": len(case.lines)})
    return case


def get_case(case_id: int) -> OnboardingCase:
    case = db.session.get(OnboardingCase, case_id) if 0 < case_id < 2**63 else None
    if case is None:
        raise NotFound(f"Onboarding case {case_id} not found.")
    return case


def get_line(case: OnboardingCase, line_id: int) -> OnboardingLine:
    line = next((ln for ln in case.lines if ln.id == line_id), None)
    if line is None:
        raise NotFound(f"Line {line_id} is not part of onboarding case {case.id}.")
    return line


def line_view(line: OnboardingLine, ack_states: dict | None = None) -> dict:
    model = db.session.get(AssetModel, line.model_id) if line.model_id else None
    asset = db.session.get(Asset, line.asset_id) if line.asset_id else None
    ack = (ack_states or {}).get(line.assignment_id)
    return {"id": line.id, "kind": line.kind, "model_id": line.model_id, "model": model.name if model else None,
            "min_specs": line.min_specs or {}, "requirement": line.requirement,
            "state": "fulfilled" if line.asset_id else "open", "asset_id": line.asset_id,
            "asset_tag": asset.asset_tag if asset else None, "assignment_id": line.assignment_id,
            "acknowledgement": acknowledgement.state_of(ack) if line.assignment_id else None,
            "fulfilled_by": line.fulfilled_by, "fulfilled_at": line.fulfilled_at}


def case_view(case: OnboardingCase, with_lines: bool = True) -> dict:
    """A case as shown: employee, kit, state, progress, and lines (open or fulfilled, acknowledgement state)."""
    emp = db.session.get(Employee, case.employee_id)
    acks = acknowledgement.latest_for([ln.assignment_id for ln in case.lines if ln.assignment_id])
    lines = [line_view(ln, acks) for ln in case.lines]
    done = sum(1 for ln in lines if ln["state"] == "fulfilled")
    view = {"id": case.id, "employee_id": emp.id, "employee_name": emp.name, "kit_id": case.kit_id,
            "kit_name": case.kit_name, "needed_by": case.needed_by, "state": case.state,
            "opened_by": case.opened_by, "opened_at": case.opened_at, "completed_at": case.completed_at,
            "cancelled_by": case.cancelled_by, "cancelled_at": case.cancelled_at,
            "cancel_reason": case.cancel_reason, "progress": {"fulfilled": done, "total": len(lines)},
            "open_lines": [ln["id"] for ln in lines if ln["state"] == "open"],
            "overdue": case.state == "open" and case.needed_by is not None and case.needed_by < date.today()}
    if with_lines:
        view["lines"] = lines
    return view


def list_cases(args: dict) -> tuple[list[dict], str | None]:
    """Cases newest first, filtered by ?employee_id= and ?state=."""
    stmt = select(OnboardingCase)
    for key in ("employee_id", "state"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(OnboardingCase, key) == args[key])
    cases, cursor = keyset_page(stmt, OnboardingCase.id, args["limit"], args.get("cursor"), newest_first=True)
    return [case_view(c, with_lines=False) for c in cases], cursor


def _open_line(case: OnboardingCase, line_id: int) -> OnboardingLine:
    if case.state != "open":
        raise Conflict(f"Onboarding case {case.id} is {case.state}.")
    line = get_line(case, line_id)
    if line.asset_id is not None:
        raise Conflict(f"Line {line.id} is fulfilled already (asset {line.asset_id}).")
    return line


def candidates(case: OnboardingCase, line_id: int, limit: int = 20) -> list[Asset]:
    """In-stock assets that would fulfil an open line."""
    return kits.candidates(_open_line(case, line_id), limit)


def fulfil(case: OnboardingCase, line_id: int, asset_id: int, ctx: Context, due_back: date | None = None,
           note: str | None = None, require_acknowledgement: bool = False):
    """Fulfil a line by checking out a matching in-stock asset (422 if it does not match); the case completes
    when every line is fulfilled. Returns (line, assignment); see check_out for the acknowledgement token."""
    line = _open_line(case, line_id)
    asset = db.session.get(Asset, asset_id)
    if asset is None:
        raise Invalid("Unknown asset.", {"asset_id": [f"Asset {asset_id} does not exist."]})
    reasons = kits.mismatches(line, asset)
    if reasons:
        raise Invalid(f"Asset {asset.asset_tag} does not fit line {line.id}.", {"asset_id": reasons})
    assignment = check_out(asset_id, case.employee_id, ctx, due_back, note or f"Onboarding case {case.id}",
                           source="onboarding", require_acknowledgement=require_acknowledgement)
    line.asset_id, line.assignment_id, line.fulfilled_by, line.fulfilled_at = asset_id, assignment.id, ctx.actor, utcnow()
    db.session.flush()
    record(ctx, "onboarding", case.id, "fulfil", {"line_id": line.id, "asset_id": None},
           {"line_id": line.id, "asset_id": asset_id, "assignment_id": assignment.id})
    if all(ln.asset_id is not None for ln in case.lines):
        case.state, case.completed_at = "complete", utcnow()
        db.session.flush()
        record(ctx, "onboarding", case.id, "complete", {"state": "open"}, {"state": "complete"})
    return line, assignment


def cancel(case: OnboardingCase, reason: str, ctx: Context) -> OnboardingCase:
    """Cancel an open case (the hire fell through); what was issued stays checked out and the case stays."""
    if case.state != "open":
        raise Conflict(f"Onboarding case {case.id} is {case.state}.")
    case.state, case.cancelled_by, case.cancelled_at, case.cancel_reason = "cancelled", ctx.actor, utcnow(), reason
    db.session.flush()
    record(ctx, "onboarding", case.id, "cancel", {"state": "open"}, {"state": "cancelled", "reason": reason})
    return case
